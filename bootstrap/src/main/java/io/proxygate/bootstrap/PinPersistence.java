package io.proxygate.bootstrap;

import io.dropwizard.lifecycle.Managed;
import io.proxygate.application.routing.RoutingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * For one instance on SQLite: writes the conversation pins used in the last second to the database (one small batch
 * per tick, off the request path), deletes idle ones once a minute, and writes the last ones on shutdown, so that
 * conversations keep their accounts across a restart.
 */
final class PinPersistence implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(PinPersistence.class);
    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final RoutingService router;
    private ScheduledExecutorService executor;
    private long failures;

    PinPersistence(RoutingService router) {
        this.router = router;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("pin-persistence")
                .daemon(true).factory());
        executor.scheduleWithFixedDelay(this::flush, FLUSH_INTERVAL.toMillis(), FLUSH_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void flush() {
        try {
            router.flushPins();
            failures = 0;
        } catch (RuntimeException e) {
            if (failures++ % 100 == 0) {
                LOG.warn("cannot save conversation pins ({} failures in a row): {}", failures, e.toString());
            }
        }
    }

    private void sweep() {
        try {
            router.sweepPins();
        } catch (RuntimeException e) {
            LOG.warn("conversation pin sweep failed: {}", e.toString());
        }
    }

    @Override
    public void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        flush();
    }
}
