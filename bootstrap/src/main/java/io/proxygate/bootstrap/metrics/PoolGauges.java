package io.proxygate.bootstrap.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.application.routing.CredentialRouter;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.CredentialKind;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Gauges of the pool: in-flight requests, and credentials per kind and state (active, cooling, needs login, ...). */
public final class PoolGauges {
    enum State { ACTIVE, DISABLED, COOLING, NEEDS_LOGIN }

    private PoolGauges() {
    }

    public static void register(MetricRegistry metrics, CredentialPool pool, CredentialRouter router,
                                InstantSource clock) {
        metrics.register("proxygate.inflight", (Gauge<Integer>) () ->
                router.statuses().stream().mapToInt(CredentialStatus::inFlight).sum());
        metrics.register("proxygate.pool.problems", (Gauge<Integer>) () -> pool.snapshot().problems().size());
        for (CredentialKind kind : CredentialKind.values()) {
            for (State state : State.values()) {
                metrics.register(MetricRegistry.name("proxygate.pool", kind.name().toLowerCase(Locale.ROOT),
                        state.name().toLowerCase(Locale.ROOT)), (Gauge<Long>) () -> count(pool, router, clock, kind, state));
            }
        }
    }

    private static long count(CredentialPool pool, CredentialRouter router, InstantSource clock, CredentialKind kind,
                              State wanted) {
        Map<CredentialId, CredentialStatus> statuses = router.statuses().stream()
                .collect(Collectors.toMap(CredentialStatus::id, Function.identity(), (a, b) -> a));
        Instant now = clock.instant();
        return pool.snapshot().entries().values().stream().filter(e -> e.credential().kind() == kind)
                .filter(e -> state(e, statuses.get(e.credential().id()), now) == wanted).count();
    }

    private static State state(PoolEntry entry, CredentialStatus status, Instant now) {
        if (entry.credential().disabled()) {
            return State.DISABLED;
        }
        if (status != null && status.needsLoginReason().isPresent()) {
            return State.NEEDS_LOGIN;
        }
        if (status != null && status.cooldownUntil().filter(now::isBefore).isPresent()) {
            return State.COOLING;
        }
        return State.ACTIVE;
    }
}
