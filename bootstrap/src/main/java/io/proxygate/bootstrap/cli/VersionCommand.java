package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Command;
import io.proxygate.bootstrap.Version;

@Command(name = "version", description = "Print the version")
public final class VersionCommand implements CliCommand {
    @Override
    public int run(CliContext context) {
        context.out().println("proxy-gate " + Version.current());
        return 0;
    }
}
