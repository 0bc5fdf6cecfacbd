package io.proxygate.application.routing;

import io.proxygate.application.port.out.ConversationPinPort;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared conversation pins in a map, standing in for the database table that several instances read. */
final class InMemoryPinStore implements ConversationPinPort {
    private record Row(CredentialId credential, Instant touchedAt) {
    }

    private final Map<ConversationKey, Row> rows = new ConcurrentHashMap<>();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    volatile boolean failing;

    @Override
    public Optional<CredentialId> find(ConversationKey key, Instant liveSince) {
        reads.incrementAndGet();
        failIfAsked();
        Row row = rows.get(key);
        return row == null || row.touchedAt().isBefore(liveSince) ? Optional.empty() : Optional.of(row.credential());
    }

    @Override
    public void save(ConversationKey key, CredentialId credential, Instant at) {
        writes.incrementAndGet();
        failIfAsked();
        rows.put(key, new Row(credential, at));
    }

    @Override
    public List<SavedPin> live(Instant liveSince) {
        failIfAsked();
        return rows.entrySet().stream().filter(e -> !e.getValue().touchedAt().isBefore(liveSince))
                .map(e -> new SavedPin(e.getKey(), e.getValue().credential(), e.getValue().touchedAt()))
                .sorted(Comparator.comparing(SavedPin::touchedAt)).toList();
    }

    @Override
    public int deleteIdleBefore(Instant cutoff) {
        failIfAsked();
        int before = rows.size();
        rows.values().removeIf(r -> r.touchedAt().isBefore(cutoff));
        return before - rows.size();
    }

    int size() {
        return rows.size();
    }

    private void failIfAsked() {
        if (failing) {
            throw new IllegalStateException("connection refused");
        }
    }
}
