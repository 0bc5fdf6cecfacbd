package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.AirlineModule;

/** A command that reads the configuration file named by {@code --config PATH}. */
abstract class ConfiguredCommand implements CliCommand {
    @AirlineModule
    ConfigOption config = new ConfigOption();
}
