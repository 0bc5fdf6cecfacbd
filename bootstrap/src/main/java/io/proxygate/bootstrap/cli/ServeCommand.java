package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Command;
import io.proxygate.bootstrap.ProxyGateServer;
import io.proxygate.bootstrap.Wiring;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

@Command(name = "serve", description = "Run the proxy server (the default command)")
public final class ServeCommand extends ConfiguredCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Override
    public int run(CliContext context) throws Exception {
        ProxyGateConfiguration cfg = config.loadForServer(context);
        Server server = ProxyGateServer.start(cfg);
        exitZeroOnSigterm(server, cfg.server.shutdownGrace);
        return ProxyGateCli.KEEP_RUNNING;
    }

    /**
     * SIGTERM is how service managers ask for a stop: drain in-flight streams for {@code [server] shutdown_grace},
     * flush the request log, and exit 0, so systemd and friends record a clean stop instead of status 143 (which is
     * what the JVM's default handling of the signal reports). Platforms without the signal keep the default.
     */
    private static void exitZeroOnSigterm(Server server, Duration grace) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> Thread.ofPlatform().name("sigterm-stop")
                    .start(() -> {
                        int status = 0;
                        try {
                            LOG.info("SIGTERM: draining in-flight requests for up to {}, then stopping", grace);
                            cutBeforeTheGraceEnds(server, grace);
                            server.stop();
                        } catch (Exception e) {
                            if (gracePassed(e)) {
                                // Streams outlasting the grace are cut by design: that is a configured stop.
                                LOG.info("stopped; requests still running after the grace were cut");
                            } else {
                                LOG.error("stopping after SIGTERM failed", e);
                                status = 1;
                            }
                        }
                        System.exit(status);
                    }));
        } catch (IllegalArgumentException | UnsupportedOperationException unsupported) {
            LOG.debug("SIGTERM cannot be handled here: {}", unsupported.getMessage());
        }
    }

    /**
     * Shortly before the grace ends, while clients are still connected, requests still running are ended: streams
     * with their API's error event, each with its request-log row (marked cut). Jetty would otherwise close their
     * connections at the end of the grace, leaving clients a body that just stops.
     */
    private static void cutBeforeTheGraceEnds(Server server, Duration grace) {
        if (!(server.getAttribute(Wiring.class.getName()) instanceof Wiring wiring) || wiring.proxy() == null) {
            return;
        }
        Duration margin = grace.dividedBy(4).compareTo(CUT_MARGIN) < 0 ? grace.dividedBy(4) : CUT_MARGIN;
        Thread.ofPlatform().daemon(true).name("shutdown-cut").start(() -> {
            try {
                Thread.sleep(grace.minus(margin));
            } catch (InterruptedException e) {
                return;
            }
            if (wiring.proxy().inProgress() > 0) {
                LOG.info("shutdown grace ending: cutting {} requests still running", wiring.proxy().inProgress());
                wiring.proxy().cutInProgress(margin);
            }
        });
    }

    private static final Duration CUT_MARGIN = Duration.ofSeconds(2);

    private static boolean gracePassed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (s instanceof java.util.concurrent.TimeoutException) {
                    return true;
                }
            }
        }
        return false;
    }
}
