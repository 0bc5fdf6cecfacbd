package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Option;

/** A command that prints text for people or, with {@code --json}, JSON for scripts. */
abstract class JsonOutputCommand extends ConfiguredCommand {
    @Option(name = "--json", description = "print JSON")
    boolean json;
}
