package io.proxygate.application.routing;

import io.proxygate.application.port.out.ConversationPinPort;
import io.proxygate.application.port.out.ConversationPinPort.SavedPin;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.domain.routing.ConversationPins;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Conversation pins for one instance alone on its database: kept in memory (routing never waits for the store) and
 * written behind to a {@link ConversationPinPort}, so that a restart finds them. On start the live pins are read
 * back; between flushes the pins used since the last flush wait in a small map, one entry per conversation however
 * often it is used, and {@link #flush} writes them in one batch. A store that fails costs only persistence: the
 * entries wait for the next flush and routing goes on from memory.
 */
final class PersistedPins extends MemoryPins {
    private static final System.Logger LOG = System.getLogger(PersistedPins.class.getName());

    private final ConversationPinPort store;
    private final long ttlMillis;
    private final ConcurrentHashMap<ConversationKey, SavedPin> unsaved = new ConcurrentHashMap<>();
    private final PinStoreFailures storeFailures = new PinStoreFailures(LOG);

    PersistedPins(ConversationPinPort store, Duration ttl, int maxPins, Instant now) {
        super(new ConversationPins(ttl, maxPins));
        this.store = store;
        this.ttlMillis = ttl.toMillis();
        try {
            for (SavedPin p : store.live(liveSince(now))) {
                super.pin(p.key(), p.credential(), p.touchedAt().isAfter(now) ? now : p.touchedAt());
            }
        } catch (RuntimeException e) {
            storeFailures.record("read", e);
        }
    }

    @Override
    public void pin(ConversationKey key, CredentialId credential, Instant now) {
        super.pin(key, credential, now);
        unsaved.put(key, new SavedPin(key, credential, now));
    }

    @Override
    public int sweep(Instant now) {
        int gone = super.sweep(now);
        try {
            store.deleteIdleBefore(liveSince(now));
        } catch (RuntimeException e) {
            storeFailures.record("sweep", e);
        }
        return gone;
    }

    @Override
    public int flush() {
        if (unsaved.isEmpty()) {
            return 0;
        }
        List<SavedPin> batch = new ArrayList<>(unsaved.size());
        for (SavedPin p : unsaved.values()) {
            // Removed only if unchanged since read: a pin renewed meanwhile stays for the next flush.
            if (unsaved.remove(p.key(), p)) {
                batch.add(p);
            }
        }
        try {
            store.saveAll(batch);
            return batch.size();
        } catch (RuntimeException e) {
            storeFailures.record("write", e);
            batch.forEach(p -> unsaved.putIfAbsent(p.key(), p));
            return 0;
        }
    }

    /** A pin idle for the whole time to live has expired (as in the in-memory table). */
    private Instant liveSince(Instant now) {
        return now.minusMillis(ttlMillis - 1);
    }
}
