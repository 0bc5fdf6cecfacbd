package io.proxygate.bootstrap;

import io.proxygate.application.routing.RoutingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The router's background work. For instances sharing a PostgreSQL database: every {@code interval} the router takes
 * in the routing state the other instances saved (cooldowns, needs-login marks, usage windows). For one instance on
 * SQLite: the conversation pins used in the last second are written to the database (one small batch per tick, off
 * the request path) and the last ones on shutdown, so conversations keep their accounts across a restart. Either way
 * idle conversation pins are deleted once a minute, and each credential's routing state (cooldowns, needs-login
 * marks, usage windows) is written behind, a few times a second and once more on shutdown, so no request waits for
 * the database.
 */
final class SharedStateSync {
    private static final Logger LOG = LoggerFactory.getLogger(SharedStateSync.class);
    private static final Duration PIN_SWEEP_INTERVAL = Duration.ofMinutes(1);
    static final Duration PIN_FLUSH_INTERVAL = Duration.ofSeconds(1);
    /** How long a change of routing state (a cooldown, say) may wait before it is in the database. */
    static final Duration STATE_FLUSH_INTERVAL = Duration.ofMillis(200);

    private SharedStateSync() {
    }

    /** Several instances on one database: take in what the others saved, every {@code interval}. */
    static PeriodicTasks shared(RoutingService router, Duration interval) {
        return writingStateBehindAndSweepingPins(new PeriodicTasks("shared-state-sync")
                .every(interval, Duration.ZERO, "read shared routing state", () -> {
                    int changed = router.syncShared();
                    if (changed > 0) {
                        LOG.debug("took in shared routing state of {} credentials", changed);
                    }
                })
                .onStop(router::flushState), router);
    }

    /** One instance on SQLite: write conversation pins behind, and once more on shutdown. */
    static PeriodicTasks persistingPins(RoutingService router) {
        return writingStateBehindAndSweepingPins(new PeriodicTasks("pin-persistence")
                .every(PIN_FLUSH_INTERVAL, PIN_FLUSH_INTERVAL, "save conversation pins", router::flushPins)
                .onStop(() -> {
                    router.flushState();
                    router.flushPins();
                }), router);
    }

    private static PeriodicTasks writingStateBehindAndSweepingPins(PeriodicTasks tasks, RoutingService router) {
        router.writeStateBehind();
        return tasks.every(STATE_FLUSH_INTERVAL, STATE_FLUSH_INTERVAL, "save routing state", router::flushState)
                .every(PIN_SWEEP_INTERVAL, PIN_SWEEP_INTERVAL, "sweep conversation pins", router::sweepPins);
    }
}
