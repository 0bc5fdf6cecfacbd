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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A router for the usage poller's tests: records the windows and failures it is told, and reports the ids in
 * {@link #needsLogin} as needing a login.
 */
public final class RecordingRouter implements CredentialRouter {
    public final Map<CredentialId, UsageWindows> windows = new ConcurrentHashMap<>();
    public final List<Map.Entry<CredentialId, AttemptFailure>> failures = new CopyOnWriteArrayList<>();
    public final Set<CredentialId> needsLogin = ConcurrentHashMap.newKeySet();
    public volatile Runnable onWindowsHook = () -> { };

    @Override
    public RoutingPlan plan(RouteQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Lease begin(CredentialId id) {
        throw new UnsupportedOperationException();
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
        return needsLogin.stream().map(id -> new CredentialStatus(id, 0, Optional.empty(), Optional.empty(),
                Optional.of("refresh token revoked"), Optional.empty(), Optional.empty())).toList();
    }
}
