package io.proxygate.application.routing;

import io.proxygate.application.port.out.CredentialStatePort;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.domain.credential.CredentialId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Credential state kept in a map, standing in for the SQLite store across simulated restarts. */
public final class InMemoryStateStore implements CredentialStatePort {
    final Map<CredentialId, CredentialStateRecord> saved = new ConcurrentHashMap<>();
    final AtomicInteger saves = new AtomicInteger();
    volatile boolean failing;
    /** Runs at the start of every save: a test can hold a write up here. */
    volatile Runnable beforeSave = () -> { };

    @Override
    public Map<CredentialId, CredentialStateRecord> loadAll() {
        return Map.copyOf(saved);
    }

    @Override
    public void save(CredentialStateRecord state) {
        beforeSave.run();
        saves.incrementAndGet();
        if (failing) {
            throw new IllegalStateException("database is locked");
        }
        // Like the SQL store: a save never shortens a stored cooldown.
        CredentialStateRecord before = saved.get(state.id());
        if (before != null && before.cooldownUntil().isPresent() && (state.cooldownUntil().isEmpty()
                || state.cooldownUntil().get().isBefore(before.cooldownUntil().get()))) {
            state = new CredentialStateRecord(state.id(), before.cooldownUntil(), before.cooldownReason(),
                    state.needsLoginReason(), state.failureStreak(), state.windows(), state.lastUsed(),
                    state.needsLoginChangedAt());
        }
        saved.put(state.id(), state);
    }

    @Override
    public void clearCooldown(CredentialId id) {
        saved.computeIfPresent(id, (k, s) -> new CredentialStateRecord(k, java.util.Optional.empty(),
                java.util.Optional.empty(), s.needsLoginReason(), 0, s.windows(), s.lastUsed(), s.needsLoginChangedAt()));
    }
}
