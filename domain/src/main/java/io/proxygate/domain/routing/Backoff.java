package io.proxygate.domain.routing;

import java.time.Duration;

/** How long a credential rests after repeated server errors or connection failures. */
public final class Backoff {
    public static final Duration MAX = Duration.ofMinutes(30);

    private Backoff() {
    }

    /**
     * {@code 1 s << streak}, capped at 30 min: 0 → 1 s, 1 → 2 s, 4 → 16 s, 40 → 30 min. {@code streak} counts the
     * failures before this one; negative counts as 0.
     */
    public static Duration forServerErrors(int streak) {
        if (streak <= 0) {
            return Duration.ofSeconds(1);
        }
        if (streak >= 31) {
            return MAX;
        }
        long seconds = 1L << streak;
        return seconds >= MAX.toSeconds() ? MAX : Duration.ofSeconds(seconds);
    }
}
