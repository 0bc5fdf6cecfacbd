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
 * Throttles failed admin logins per client address: {@code limit} failures in a sliding window are free; each
 * further failure in the window puts the address in a backoff that doubles (1 s, 2 s, 4 s, ... capped at
 * {@link #MAX_BACKOFF}), during which its wrong tokens are answered 429. Only failures are throttled: the caller
 * checks the right token before asking here, because every local user shares 127.0.0.1, and a lockout that also
 * refused the right token would let any of them shut the owner out. Memory is bounded: at most
 * {@value #MAX_ADDRESSES} addresses are tracked, the least recently failing one is forgotten first.
 */
final class FailedAttemptLimiter {
    static final int MAX_ADDRESSES = 10_000;
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** Failures past the limit beyond which the backoff is at its cap anyway: no need to remember more. */
    private static final int MAX_EXCESS = 32;

    private final int limit;
    private final Duration window;
    private final InstantSource clock;
    private final LinkedHashMap<String, Source> sources = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Source {
        final Deque<Instant> failures = new ArrayDeque<>();
        Instant blockedUntil = Instant.MIN;
    }

    FailedAttemptLimiter(int limit, Duration window, InstantSource clock) {
        if (limit < 1 || !window.isPositive()) {
            throw new IllegalArgumentException("limit and window must be positive");
        }
        this.limit = limit;
        this.window = window;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records a failure from {@code address}; returns the backoff now in force (the 429's Retry-After), or empty
     * while the address is within its free failures.
     */
    synchronized Optional<Duration> failed(String address) {
        Instant now = clock.instant();
        Source source = sources.computeIfAbsent(address, a -> new Source());
        Deque<Instant> times = source.failures;
        expire(times, now);
        times.addLast(now);
        while (times.size() > limit + MAX_EXCESS) {
            times.removeFirst();
        }
        if (sources.size() > MAX_ADDRESSES) {
            Iterator<Map.Entry<String, Source>> eldest = sources.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
        int excess = times.size() - limit;
        if (excess <= 0) {
            return source.blockedUntil.isAfter(now) ? Optional.of(Duration.between(now, source.blockedUntil))
                    : Optional.empty();
        }
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(excess - 1, 30));
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
            backoff = MAX_BACKOFF;
        }
        Instant until = now.plus(backoff);
        if (until.isAfter(source.blockedUntil)) {
            source.blockedUntil = until;
        }
        return Optional.of(Duration.between(now, source.blockedUntil));
    }

    private void expire(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
    }
}
