package io.proxygate.domain.routing;

import io.proxygate.domain.credential.CredentialId;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which credential each conversation is pinned to, so prompt caches (kept per account upstream) keep hitting.
 * A pin expires after {@code ttl} without use (lookups and puts both count as use), the table holds at most about
 * {@code maxPins} entries and drops the least recently used beyond that, and expired entries are swept as new ones
 * arrive (the original never swept them).
 *
 * <p>Large tables are split into lock stripes by key hash, each an access-ordered {@link LinkedHashMap}: the least
 * recently used entry of a stripe is its head, so expiry and eviction only ever look at heads and cost O(1) per
 * removed entry. With stripes, LRU order and the bound hold per stripe ({@code maxPins / stripes} each).
 */
public final class ConversationPins {
    private static final int STRIPES = 16;
    /** Below this size one stripe keeps LRU order exact; contention is no concern for small tables. */
    private static final int STRIPE_THRESHOLD = 4096;

    private final long ttlMillis;
    private final Stripe[] stripes;

    public ConversationPins(Duration ttl, int maxPins) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("pin ttl must be positive");
        }
        if (maxPins < 1) {
            throw new IllegalArgumentException("maxPins must be >= 1");
        }
        this.ttlMillis = ttl.toMillis();
        int count = maxPins < STRIPE_THRESHOLD ? 1 : STRIPES;
        int perStripe = (maxPins + count - 1) / count;
        stripes = new Stripe[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new Stripe(perStripe);
        }
    }

    /** The credential the conversation is pinned to, if the pin is live; a hit renews the pin. */
    public Optional<CredentialId> lookup(ConversationKey key, Instant now) {
        return Optional.ofNullable(get(key, now.toEpochMilli()));
    }

    /** Pins (or moves) the conversation to {@code credential}. */
    public void pin(ConversationKey key, CredentialId credential, Instant now) {
        Objects.requireNonNull(credential, "credential");
        long t = now.toEpochMilli();
        Stripe s = stripe(key);
        s.lock.lock();
        try {
            Pin existing = s.map.get(key);
            if (existing != null) {
                existing.credential = credential;
                existing.touchedMillis = t;
            } else {
                s.map.put(key, new Pin(credential, t));
            }
            s.sweepHead(t, ttlMillis);
        } finally {
            s.lock.unlock();
        }
    }

    /** Removes every pin that points at {@code credential}. */
    public void forget(CredentialId credential) {
        for (Stripe s : stripes) {
            s.lock.lock();
            try {
                s.map.values().removeIf(p -> p.credential.equals(credential));
            } finally {
                s.lock.unlock();
            }
        }
    }

    /** Drops every expired pin; returns how many went. */
    public int sweep(Instant now) {
        long t = now.toEpochMilli();
        int removed = 0;
        for (Stripe s : stripes) {
            s.lock.lock();
            try {
                removed += s.sweepHead(t, ttlMillis);
            } finally {
                s.lock.unlock();
            }
        }
        return removed;
    }

    /** Live and not yet swept pins. */
    public int size() {
        int size = 0;
        for (Stripe s : stripes) {
            s.lock.lock();
            try {
                size += s.map.size();
            } finally {
                s.lock.unlock();
            }
        }
        return size;
    }

    private CredentialId get(ConversationKey key, long t) {
        Stripe s = stripe(key);
        s.lock.lock();
        try {
            Pin pin = s.map.get(key);
            if (pin == null) {
                return null;
            }
            if (t - pin.touchedMillis >= ttlMillis) {
                s.map.remove(key);
                return null;
            }
            pin.touchedMillis = t;
            return pin.credential;
        } finally {
            s.lock.unlock();
        }
    }

    private Stripe stripe(ConversationKey key) {
        if (stripes.length == 1) {
            return stripes[0];
        }
        int h = key.hashCode();
        h ^= h >>> 16;
        return stripes[h & (stripes.length - 1)];
    }

    /** Mutable under its stripe's lock only. */
    private static final class Pin {
        CredentialId credential;
        long touchedMillis;

        Pin(CredentialId credential, long touchedMillis) {
            this.credential = credential;
            this.touchedMillis = touchedMillis;
        }
    }

    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        final LinkedHashMap<ConversationKey, Pin> map;

        Stripe(int capacity) {
            map = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ConversationKey, Pin> eldest) {
                    return size() > capacity;
                }
            };
        }

        /** Access order keeps the idlest pin at the head, so expired pins are a prefix. */
        int sweepHead(long t, long ttlMillis) {
            int removed = 0;
            Iterator<Pin> it = map.values().iterator();
            while (it.hasNext()) {
                Pin oldest = it.next();
                if (t - oldest.touchedMillis < ttlMillis) {
                    break;
                }
                it.remove();
                removed++;
            }
            return removed;
        }
    }
}
