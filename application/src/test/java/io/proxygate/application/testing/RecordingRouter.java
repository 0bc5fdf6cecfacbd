package io.proxygate.application.testing;

import io.proxygate.application.routing.AttemptFailure;
import io.proxygate.application.routing.CredentialRouter;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.application.routing.Lease;
import io.proxygate.application.routing.RouteQuery;
import io.proxygate.application.routing.RoutingPlan;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.UsageWindows;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A router that records what it is told (usage windows, failures, cooldown clears) and reports the statuses a test
 * sets: those in {@link #statuses}, plus one "refresh token revoked" status for each id in {@link #needsLogin}. It
 * plans only when a test sets {@link #plan}.
 */
public final class RecordingRouter implements CredentialRouter {
    public final Map<CredentialId, UsageWindows> windows = new ConcurrentHashMap<>();
    public final List<Map.Entry<CredentialId, AttemptFailure>> failures = new CopyOnWriteArrayList<>();
    public final Set<CredentialId> needsLogin = ConcurrentHashMap.newKeySet();
    public final Map<CredentialId, CredentialStatus> statuses = new ConcurrentHashMap<>();
    public final List<CredentialId> cleared = new CopyOnWriteArrayList<>();
    public volatile RoutingPlan plan;
    public volatile Runnable onWindowsHook = () -> { };
    private final InstantSource clock;

    public RecordingRouter() {
        this(InstantSource.system());
    }

    /** @param clock the time a cooldown in {@link #statuses} is compared with when cleared */
    public RecordingRouter(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public RoutingPlan plan(RouteQuery query) {
        if (plan == null) {
            throw new UnsupportedOperationException("this test set no routing plan");
        }
        return plan;
    }

    @Override
    public Lease begin(CredentialId id) {
        if (plan == null) {
            throw new UnsupportedOperationException("this test set no routing plan");
        }
        return () -> { };
    }

    /** Records the clear and answers as a router would; the statuses stay, since tests may share this router. */
    @Override
    public boolean clearCooldown(CredentialId id) {
        cleared.add(id);
        CredentialStatus s = statuses.get(id);
        return s != null && s.cooldownUntil().filter(clock.instant()::isBefore).isPresent();
    }

    @Override
    public void onSuccess(CredentialId id, RouteQuery query, Optional<String> responseId) {
    }

    @Override
    public void onFailure(CredentialId id, AttemptFailure failure) {
        failures.add(Map.entry(id, failure));
    }

    @Override
    public void onWindows(CredentialId id, UsageWindows w) {
        windows.put(id, w);
        onWindowsHook.run();
    }

    @Override
    public void onTokensRenewed(CredentialId id) {
    }

    @Override
    public Optional<Duration> nearestCooldown(Api api) {
        return Optional.empty();
    }

    @Override
    public List<CredentialStatus> statuses() {
        List<CredentialStatus> out = new ArrayList<>(statuses.values());
        needsLogin.stream().filter(id -> !statuses.containsKey(id))
                .map(id -> new CredentialStatus(id, 0, Optional.empty(), Optional.empty(),
                        Optional.of("refresh token revoked"), Optional.empty(), Optional.empty()))
                .forEach(out::add);
        return out;
    }
}
