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
        tellJettyTheReferenceSize();
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

    /**
     * Jetty spreads some counters a cache line apart and asks how many object references fit in one. Left to itself,
     * it finds out by starting the JVM's whole management server (every platform MBean registered: 33 ms of a start's
     * main thread here) to read one VM option. The diagnostic bean alone gives the same answer. A value the user set
     * wins; without the bean (another JVM), Jetty asks as before.
     */
    static void tellJettyTheReferenceSize() {
        String property = "org.eclipse.jetty.util.referencesPerCacheLine";
        if (System.getProperty(property) != null) {
            return;
        }
        try {
            boolean compressed = Boolean.parseBoolean(java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseCompressedOops").getValue());
            int cacheLine = Integer.getInteger("org.eclipse.jetty.util.cacheLineBytes", 64);
            System.setProperty(property, Integer.toString(cacheLine / (compressed ? 4 : 8)));
        } catch (RuntimeException | LinkageError e) {
            // Jetty finds out itself.
        }
    }
}
