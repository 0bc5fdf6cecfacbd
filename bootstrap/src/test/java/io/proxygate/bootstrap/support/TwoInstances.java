package io.proxygate.bootstrap.support;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Two ProxyGate instances on one database and one pool directory, as behind a load balancer: each has its own data
 * directory under {@code root} ({@code one}, {@code two}) and reads the shared state again every 200 ms, so what one
 * instance writes reaches the other within a test's patience.
 */
public final class TwoInstances implements AutoCloseable {
    public final DropwizardAppExtension<ProxyGateConfiguration> first;
    public final DropwizardAppExtension<ProxyGateConfiguration> second;

    private TwoInstances(DropwizardAppExtension<ProxyGateConfiguration> first,
                         DropwizardAppExtension<ProxyGateConfiguration> second) {
        this.first = first;
        this.second = second;
    }

    /** Starts both instances with {@code env} on top of the shared pool and database; stops the first if the second fails. */
    public static TwoInstances start(Path root, Path pool, String database, Map<String, String> env)
            throws Exception {
        DropwizardAppExtension<ProxyGateConfiguration> first = instance(root.resolve("one"), pool, database, env);
        try {
            return new TwoInstances(first, instance(root.resolve("two"), pool, database, env));
        } catch (Exception | Error e) {
            first.after();
            throw e;
        }
    }

    private static DropwizardAppExtension<ProxyGateConfiguration> instance(Path root, Path pool, String database,
                                                                           Map<String, String> env)
            throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("PROXYGATE_POOL_DIR", pool.toString());
        all.put("PROXYGATE_DATABASE_URL", database);
        all.put("PROXYGATE_DATABASE_SYNC_INTERVAL", "200ms");
        DropwizardAppExtension<ProxyGateConfiguration> app =
                ProxyGateRunner.extension(ProxyGateRunner.config(root, all));
        app.before();
        return app;
    }

    @Override
    public void close() {
        first.after();
        second.after();
    }
}
