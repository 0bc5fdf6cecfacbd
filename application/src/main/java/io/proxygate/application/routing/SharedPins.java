package io.proxygate.application.routing;

import io.proxygate.application.port.out.ConversationPinPort;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Conversation pins in a store that every instance reads ({@link ConversationPinPort}), behind a short local cache.
 *
 * <p>A lookup trusts what this instance read or wrote within the cache time, else asks the store: so a pin another
 * instance moved is followed within that time. A pin is written through at once when it is new or moves (the next
 * request of the conversation may reach another instance), but a pin that merely stays is rewritten only every
 * {@code touchInterval}, which keeps a busy conversation's pin alive without a write per request. When the store
 * fails, routing goes on with what the cache knows.
 */
final class SharedPins implements PinTable {
    static final Duration DEFAULT_CACHE_TIME = Duration.ofSeconds(2);
    private static final Duration MAX_TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final long NEVER = Long.MIN_VALUE;
    private static final System.Logger LOG = System.getLogger(SharedPins.class.getName());

    /** What this instance last knew of one pin: read from the store at {@code readMillis}, written by us at {@code writtenMillis}. */
    private record Cached(CredentialId credential, long readMillis, long writtenMillis) {
    }

    private final ConversationPinPort store;
    private final long ttlMillis;
    private final long cacheMillis;
    private final long touchMillis;
    private final int maxCached;
    private final ConcurrentHashMap<ConversationKey, Cached> cache = new ConcurrentHashMap<>();
    private final PinStoreFailures storeFailures = new PinStoreFailures(LOG);

    SharedPins(ConversationPinPort store, Duration ttl, Duration cacheTime, int maxCached) {
        this.store = store;
        this.ttlMillis = ttl.toMillis();
        this.cacheMillis = cacheTime.toMillis();
        this.touchMillis = Math.min(MAX_TOUCH_INTERVAL.toMillis(), Math.max(1, ttlMillis / 4));
        this.maxCached = maxCached;
    }

    @Override
    public Optional<CredentialId> lookup(ConversationKey key, Instant now) {
        long t = now.toEpochMilli();
        Cached known = cache.get(key);
        if (known != null && t - known.readMillis() < cacheMillis) {
            return Optional.of(known.credential());
        }
        Optional<CredentialId> found;
        try {
            found = store.find(key, liveSince(now));
        } catch (RuntimeException e) {
            storeFailures.record("read", e);
            return known != null && t - known.readMillis() < ttlMillis ? Optional.of(known.credential())
                    : Optional.empty();
        }
        if (found.isPresent()) {
            long written = known != null && known.credential().equals(found.get()) ? known.writtenMillis() : NEVER;
            remember(key, new Cached(found.get(), t, written));
        } else {
            cache.remove(key);
        }
        return found;
    }

    @Override
    public void pin(ConversationKey key, CredentialId credential, Instant now) {
        long t = now.toEpochMilli();
        Cached known = cache.get(key);
        long written = known != null && known.credential().equals(credential) ? known.writtenMillis() : NEVER;
        if (written == NEVER || t - written >= touchMillis) {
            try {
                store.save(key, credential, now);
                written = t;
            } catch (RuntimeException e) {
                storeFailures.record("write", e);
                written = NEVER;
            }
        }
        remember(key, new Cached(credential, t, written));
    }

    @Override
    public int sweep(Instant now) {
        long t = now.toEpochMilli();
        cache.values().removeIf(c -> t - c.readMillis() >= ttlMillis);
        try {
            return store.deleteIdleBefore(liveSince(now));
        } catch (RuntimeException e) {
            storeFailures.record("sweep", e);
            return 0;
        }
    }

    /** A pin idle for the whole time to live has expired (as in the in-memory table). */
    private Instant liveSince(Instant now) {
        return now.minusMillis(ttlMillis - 1);
    }

    private void remember(ConversationKey key, Cached entry) {
        cache.put(key, entry);
        if (cache.size() > maxCached) {
            // Entries older than the cache time are only hints for the touch interval: drop them first.
            long t = entry.readMillis();
            cache.values().removeIf(c -> t - c.readMillis() >= cacheMillis);
            if (cache.size() > maxCached) {
                cache.clear();
            }
        }
    }
}
