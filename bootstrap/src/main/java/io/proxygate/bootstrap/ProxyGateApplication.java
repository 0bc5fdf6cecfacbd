package io.proxygate.bootstrap;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import org.glassfish.jersey.server.ServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Dropwizard application: builds every service by hand from the configuration ({@link Wiring}) and hands them
 * to Jersey resources, health checks and managed lifecycles.
 */
public final class ProxyGateApplication extends Application<ProxyGateConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyGateApplication.class);

    private Wiring wiring;

    /** The services of the running application (for system tests and admin tooling). */
    public Wiring wiring() {
        return wiring;
    }

    @Override
    public String getName() {
        return "proxy-gate";
    }

    @Override
    public void initialize(Bootstrap<ProxyGateConfiguration> bootstrap) {
        // Configuration comes from config.toml via ConfigLoader, never from Dropwizard's YAML.
    }

    @Override
    public void run(ProxyGateConfiguration config, Environment environment) throws Exception {
        // SSE must leave as soon as it is written: no response buffering in Jersey.
        environment.jersey().property(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
        config.warnings.forEach(LOG::warn);
        wiring = Wiring.build(config, environment);
        AdminTokens.AdminToken adminToken = wiring.adminToken();
        LOG.info("ProxyGate {} listening on {} (admin port {}); dashboard {} ; admin token {}",
                Version.current(), config.server.addr, config.admin.addr, config.server.dashboardUrl(),
                adminToken.where());
        if (config.server.proxyToken.isBlank()) {
            LOG.warn("[server] proxy_token is empty: the proxy routes are open to anyone who can reach {}",
                    config.server.addr);
        }
    }
}
