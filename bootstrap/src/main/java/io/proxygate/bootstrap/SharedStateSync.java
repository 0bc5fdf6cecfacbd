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
 * For instances sharing a PostgreSQL database: every {@code interval} the router takes in the routing state the
 * other instances saved (cooldowns, needs-login marks, usage windows), and once a minute idle conversation pins are
 * deleted. One small read per tick; a failed tick is logged and the next one tries again.
 */
final class SharedStateSync implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SharedStateSync.class);
    private static final Duration PIN_SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final RoutingService router;
    private final Duration interval;
    private ScheduledExecutorService executor;
    private long failures;

    SharedStateSync(RoutingService router, Duration interval) {
        this.router = router;
        this.interval = interval;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("shared-state-sync")
                .daemon(true).factory());
        executor.scheduleWithFixedDelay(this::sync, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::sweep, PIN_SWEEP_INTERVAL.toMillis(), PIN_SWEEP_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void sync() {
        try {
            int changed = router.syncShared();
            if (changed > 0) {
                LOG.debug("took in shared routing state of {} credentials", changed);
            }
            failures = 0;
        } catch (RuntimeException e) {
            // First failure and then every 100th: a database outage must not flood the log.
            if (failures++ % 100 == 0) {
                LOG.warn("cannot read shared routing state ({} failures in a row): {}", failures, e.toString());
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
    }
}
