package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.AirlineModule;
import com.github.rvesse.airline.annotations.Command;
import io.proxygate.bootstrap.ProxyGateServer;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Command(name = "serve", description = "Run the proxy server (the default command)")
public final class ServeCommand implements CliCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @AirlineModule
    ConfigOption config = new ConfigOption();

    @Override
    public int run(CliContext context) throws Exception {
        Server server = ProxyGateServer.start(config.loadForServer(context));
        exitZeroOnSigterm(server);
        return ProxyGateCli.KEEP_RUNNING;
    }

    /**
     * SIGTERM is how service managers ask for a stop: drain in-flight streams for {@code [server] shutdown_grace},
     * flush the request log, and exit 0, so systemd and friends record a clean stop instead of status 143 (which is
     * what the JVM's default handling of the signal reports). Platforms without the signal keep the default.
     */
    private static void exitZeroOnSigterm(Server server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> Thread.ofPlatform().name("sigterm-stop")
                    .start(() -> {
                        int status = 0;
                        try {
                            LOG.info("SIGTERM: draining in-flight requests, then stopping");
                            server.stop();
                        } catch (Exception e) {
                            LOG.error("stopping after SIGTERM failed", e);
                            status = 1;
                        }
                        System.exit(status);
                    }));
        } catch (IllegalArgumentException | UnsupportedOperationException unsupported) {
            LOG.debug("SIGTERM cannot be handled here: {}", unsupported.getMessage());
        }
    }
}
