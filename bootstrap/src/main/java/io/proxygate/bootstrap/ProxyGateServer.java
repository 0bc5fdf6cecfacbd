package io.proxygate.bootstrap;

import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import org.eclipse.jetty.server.Server;

/**
 * Runs the Dropwizard application with a configuration we built ourselves, so Dropwizard's own argparse commands
 * never reach our CLI. This is what Dropwizard's {@code server} command does, minus its YAML loading.
 */
public final class ProxyGateServer {
    private ProxyGateServer() {
    }

    public static Server start(ProxyGateConfiguration config) throws Exception {
        ProxyGateApplication application = new ProxyGateApplication();
        Bootstrap<ProxyGateConfiguration> bootstrap = new Bootstrap<>(application);
        application.initialize(bootstrap);
        config.getLoggingFactory().configure(bootstrap.getMetricRegistry(), application.getName());
        Environment environment = new Environment(application.getName(), bootstrap.getObjectMapper(),
                bootstrap.getValidatorFactory(), bootstrap.getMetricRegistry(), bootstrap.getClassLoader(),
                bootstrap.getHealthCheckRegistry(), config);
        config.getMetricsFactory().configure(environment.lifecycle(), bootstrap.getMetricRegistry());
        config.getServerFactory().configure(environment);
        bootstrap.run(config, environment);
        application.run(config, environment);
        Server server = config.getServerFactory().build(environment);
        server.setStopAtShutdown(true);
        server.setAttribute(Wiring.class.getName(), application.wiring());
        server.start();
        return server;
    }
}
