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

    @Override
    public Map<CredentialId, CredentialStateRecord> loadAll() {
        return Map.copyOf(saved);
    }

    @Override
    public void save(CredentialStateRecord state) {
        saves.incrementAndGet();
        if (failing) {
            throw new IllegalStateException("database is locked");
        }
        saved.put(state.id(), state);
    }
}
