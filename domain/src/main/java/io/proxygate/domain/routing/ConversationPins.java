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
 * arrive (so a long-running server's table stays bounded by live conversations).
 *
 * <p>Large tables are split into lock stripes by key hash, each a {@link LinkedHashMap} in renewal order: the least
 * recently used entry of a stripe is its head, so expiry and eviction only ever look at heads and cost O(1) per
 * removed entry. With stripes, LRU order and the bound hold per stripe ({@code maxPins / stripes} each). Use renews
 * a pin at most once per {@code ttl / 60} (one minute for the default hour): moving an entry to the tail touches
 * its neighbours, and a busy conversation need not pay that on every request. A pin therefore expires between
 * {@code ttl - ttl/60} and {@code ttl} after its last use.
 */
public final class ConversationPins {
    private static final int STRIPES = 16;
    /** Below this size one stripe keeps LRU order exact; contention is no concern for small tables. */
    private static final int STRIPE_THRESHOLD = 4096;

    private final long ttlMillis;
    private final long renewMillis;
    private final Stripe[] stripes;

    public ConversationPins(Duration ttl, int maxPins) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("pin ttl must be positive");
        }
        if (maxPins < 1) {
            throw new IllegalArgumentException("maxPins must be >= 1");
        }
        this.ttlMillis = ttl.toMillis();
        this.renewMillis = ttlMillis / 60;
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
            Pin existing = s.map.get(key.value());
            if (existing == null) {
                s.map.put(key.value(), new Pin(credential, t));
            } else {
                existing.credential = credential;
                renew(s, key.value(), existing, t);
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
            Pin pin = s.map.get(key.value());
            if (pin == null) {
                return null;
            }
            if (t - pin.touchedMillis >= ttlMillis) {
                s.map.remove(key.value());
                return null;
            }
            renew(s, key.value(), pin, t);
            return pin.credential;
        } finally {
            s.lock.unlock();
        }
    }

    /** Moves the pin to the young end, unless it was renewed very recently. Caller holds the stripe lock. */
    private void renew(Stripe s, String key, Pin pin, long t) {
        if (t - pin.touchedMillis >= renewMillis) {
            s.map.remove(key);
            pin.touchedMillis = t;
            s.map.put(key, pin);
        }
    }

    private Stripe stripe(ConversationKey key) {
        if (stripes.length == 1) {
            return stripes[0];
        }
        int h = key.value().hashCode();
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
        /** Keyed by the key's text (one hop less than the record); insertion order = renewal order. */
        final LinkedHashMap<String, Pin> map;

        Stripe(int capacity) {
            map = new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Pin> eldest) {
                    return size() > capacity;
                }
            };
        }

        /** Renewal order keeps the idlest pin at the head, so expired pins are a prefix. */
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
