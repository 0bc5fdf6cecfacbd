package io.proxygate.bootstrap;

import io.dropwizard.lifecycle.Managed;
import io.proxygate.application.clientkey.ClientKeyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code [database] sync_interval}, takes in the client keys that the CLI or other instances created, changed
 * or revoked (and, on a shared database, the spend of every instance). One small read per tick; a failed tick is
 * logged and the next one tries again.
 */
final class ClientKeySync implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ClientKeySync.class);

    private final ClientKeyService keys;
    private final Duration interval;
    private ScheduledExecutorService executor;
    private long failures;

    ClientKeySync(ClientKeyService keys, Duration interval) {
        this.keys = keys;
        this.interval = interval;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("client-key-sync")
                .daemon(true).factory());
        executor.scheduleWithFixedDelay(this::sync, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sync() {
        try {
            keys.sync();
            failures = 0;
        } catch (RuntimeException e) {
            if (failures++ % 100 == 0) {
                LOG.warn("cannot read client keys ({} failures in a row): {}", failures, e.toString());
            }
        }
    }

    @Override
    public void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
