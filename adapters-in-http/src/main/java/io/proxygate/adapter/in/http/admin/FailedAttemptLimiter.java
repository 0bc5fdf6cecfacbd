package io.proxygate.adapter.in.http.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts failed admin logins per client address in a sliding window; once an address reaches the limit, it is
 * refused (even with the right token) until its oldest failure leaves the window. Memory is bounded: at most
 * {@value #MAX_ADDRESSES} addresses are tracked, the least recently failing one is forgotten first.
 */
final class FailedAttemptLimiter {
    static final int MAX_ADDRESSES = 10_000;

    private final int limit;
    private final Duration window;
    private final InstantSource clock;
    private final LinkedHashMap<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true);

    FailedAttemptLimiter(int limit, Duration window, InstantSource clock) {
        if (limit < 1 || !window.isPositive()) {
            throw new IllegalArgumentException("limit and window must be positive");
        }
        this.limit = limit;
        this.window = window;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** How long {@code address} must wait, or empty when it may try. */
    synchronized Optional<Duration> blockedFor(String address) {
        Deque<Instant> times = failures.get(address);
        if (times == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        expire(times, now);
        if (times.isEmpty()) {
            failures.remove(address);
            return Optional.empty();
        }
        if (times.size() < limit) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, times.peekFirst().plus(window));
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    synchronized void failed(String address) {
        Instant now = clock.instant();
        Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        expire(times, now);
        times.addLast(now);
        while (times.size() > limit) {
            times.removeFirst();
        }
        if (failures.size() > MAX_ADDRESSES) {
            Iterator<Map.Entry<String, Deque<Instant>>> eldest = failures.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    private void expire(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
    }
}
