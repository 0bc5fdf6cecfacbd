package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Option;
import io.proxygate.bootstrap.config.ConfigLoader;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;

import java.nio.file.Path;

/** The {@code --config PATH} option every command takes (default {@code ./config.toml}). */
public final class ConfigOption {
    @Option(name = {"--config", "-c"}, title = "PATH", description = "config file (default ./config.toml)")
    String path = "config.toml";

    /** Loads the configuration; what the loader skipped is printed as {@code warning: ...} lines on stderr. */
    public ProxyGateConfiguration load(CliContext context) {
        ProxyGateConfiguration config = loadForServer(context);
        config.warnings.forEach(w -> context.err().println("warning: " + w));
        return config;
    }

    /** Loads the configuration, leaving its warnings to the server, which logs them once logging is set up. */
    public ProxyGateConfiguration loadForServer(CliContext context) {
        return new ConfigLoader().load(Path.of(path), context.env());
    }
}
