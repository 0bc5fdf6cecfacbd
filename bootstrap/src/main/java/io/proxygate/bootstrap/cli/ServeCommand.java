package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.AirlineModule;
import com.github.rvesse.airline.annotations.Command;
import io.proxygate.bootstrap.ProxyGateServer;

@Command(name = "serve", description = "Run the proxy server (the default command)")
public final class ServeCommand implements CliCommand {
    @AirlineModule
    ConfigOption config = new ConfigOption();

    @Override
    public int run(CliContext context) throws Exception {
        ProxyGateServer.start(config.load(context));
        return ProxyGateCli.KEEP_RUNNING;
    }
}
