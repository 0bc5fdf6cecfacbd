package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Arguments;
import com.github.rvesse.airline.annotations.Command;

import java.util.ArrayList;
import java.util.List;

@Command(name = "help", description = "Show help for proxy-gate or one of its commands")
public final class HelpCommand implements CliCommand {
    @Arguments(title = "command")
    List<String> names = new ArrayList<>();

    List<String> commandNames() {
        return names;
    }

    @Override
    public int run(CliContext context) {
        return 0; // handled by ProxyGateCli, which owns the metadata
    }
}
