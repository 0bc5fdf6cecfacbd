package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Option;
import io.dropwizard.jersey.validation.Validators;
import io.proxygate.bootstrap.config.ConfigLoader;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;

import java.nio.file.Path;

/** The {@code --config PATH} option every command takes (default {@code ./config.toml}). */
public final class ConfigOption {
    @Option(name = {"--config", "-c"}, title = "PATH", description = "config file (default ./config.toml)")
    String path = "config.toml";

    public ProxyGateConfiguration load(CliContext context) {
        return new ConfigLoader(Validators.newValidator()).load(Path.of(path), context.env());
    }
}
