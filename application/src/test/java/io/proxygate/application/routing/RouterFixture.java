package io.proxygate.application.routing;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.testing.InMemoryPoolDirectory;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;

import io.proxygate.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A router over an in-memory pool, a test clock and an in-memory state store. */
final class RouterFixture {
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final InMemoryPoolDirectory directory = new InMemoryPoolDirectory();
    final CredentialPool pool = new CredentialPool(directory);
    final InMemoryStateStore store;
    RoutingSettings settings;
    RoutingService router;

    RouterFixture(RoutingSettings settings, Credential... credentials) {
        this(settings, new InMemoryStateStore(), credentials);
    }

    RouterFixture(RoutingSettings settings, InMemoryStateStore store, Credential... credentials) {
        this.settings = settings;
        this.store = store;
        for (Credential c : credentials) {
            directory.add(c);
        }
        pool.reload();
        router = new RoutingService(pool, store, settings, clock);
    }

    RouterFixture(Credential... credentials) {
        this(RoutingSettings.DEFAULTS, credentials);
    }

    /** A new router over the same pool, store and clock, as after a restart. */
    RoutingService restart() {
        router = new RoutingService(reloaded(), store, settings, clock);
        return router;
    }

    private CredentialPool reloaded() {
        CredentialPool fresh = new CredentialPool(directory);
        fresh.reload();
        return fresh;
    }

    RoutingPlan plan(Api api) {
        return router.plan(query(api));
    }

    static RouteQuery query(Api api) {
        return new RouteQuery(api, "gpt-5", Optional.empty(), Optional.empty());
    }

    static RouteQuery conversation(Api api, String session) {
        return new RouteQuery(api, "gpt-5", Optional.of(ConversationKey.session(session)), Optional.empty());
    }

    static RouteQuery previousResponse(Api api, String responseId) {
        return new RouteQuery(api, "gpt-5", Optional.empty(), Optional.of(responseId));
    }

    static List<CredentialId> ids(RoutingPlan plan) {
        return plan.candidates().stream().map(c -> c.credential().id()).toList();
    }

    static Optional<String> skipReason(RoutingPlan plan, CredentialId id) {
        return plan.skipped().stream().filter(s -> s.id().equals(id)).map(RoutingPlan.Skip::reason).findFirst();
    }

    /** Usage observed now: fractions used and time to reset (null = unknown) for the 5 h and weekly windows. */
    UsageWindows windows(double fiveUsed, Duration fiveResetsIn, double weekUsed, Duration weekResetsIn,
                         boolean limitReached) {
        Instant now = clock.instant();
        return new UsageWindows(
                Optional.of(new UsageWindow(fiveUsed, Optional.ofNullable(fiveResetsIn).map(now::plus), UsageWindow.FIVE_HOURS)),
                Optional.of(new UsageWindow(weekUsed, Optional.ofNullable(weekResetsIn).map(now::plus), UsageWindow.WEEK)),
                limitReached, now);
    }

    UsageWindows windows(double fiveUsed, double weekUsed) {
        return windows(fiveUsed, null, weekUsed, null, false);
    }
}
