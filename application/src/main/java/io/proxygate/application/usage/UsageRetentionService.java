package io.proxygate.application.usage;

import io.proxygate.application.port.out.RequestLogRetentionPort;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Applies {@code [usage] retention}: at start and then hourly, request-log rows older than the retention are folded
 * into daily roll-ups (per credential, model and tier), so per-request detail ages out while every total stays.
 */
public final class UsageRetentionService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UsageRetentionService.class.getName());

    private final RequestLogRetentionPort port;
    private final Duration retention;
    private final InstantSource clock;
    private final ZoneId zone;
    private ScheduledExecutorService scheduler;

    public UsageRetentionService(RequestLogRetentionPort port, Duration retention, InstantSource clock, ZoneId zone) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        this.port = port;
        this.retention = retention;
        this.clock = clock;
        this.zone = zone;
    }

    /** One pass: folds what is older than the retention; returns how many rows were folded. */
    public long applyNow() {
        Instant now = clock.instant();
        long folded = port.rollUpBefore(now.minus(retention), zone.getRules().getOffset(now));
        if (folded > 0) {
            LOG.log(System.Logger.Level.INFO, "usage retention: folded {0} request-log rows older than {1} into daily "
                    + "roll-ups", folded, retention);
        }
        return folded;
    }

    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("usage-retention").daemon().factory());
        scheduler.scheduleWithFixedDelay(this::applySafely, 0, 1, TimeUnit.HOURS);
    }

    private void applySafely() {
        try {
            applyNow();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "usage retention failed; will retry in an hour: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
