package io.proxygate.application.fallback;

import java.time.Duration;
import java.util.Objects;

/**
 * Retry rules for Vertex AI calls: at most {@code maxAttempts} calls; after a 429 wait
 * min(Retry-After, {@code maxRateLimitWait}); after a 5xx or a connection failure back off
 * {@code firstBackoff}, doubling, at most {@code maxBackoff}; read at most {@code maxErrorBodyBytes} of a 429 body.
 */
public record ClaudeFallbackSettings(int maxAttempts, Duration maxRateLimitWait, Duration firstBackoff,
                                     Duration maxBackoff, int maxErrorBodyBytes) {
    public static final ClaudeFallbackSettings DEFAULTS = new ClaudeFallbackSettings(5, Duration.ofSeconds(10),
            Duration.ofSeconds(1), Duration.ofMinutes(30), 64 * 1024);

    public ClaudeFallbackSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(maxRateLimitWait, "maxRateLimitWait");
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxErrorBodyBytes < 0) {
            throw new IllegalArgumentException("maxErrorBodyBytes must not be negative");
        }
    }

    /** The wait before retry number {@code level + 1} after a server error: first, doubling, capped. */
    Duration backoff(int level) {
        Duration d = firstBackoff;
        for (int i = 0; i < level && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
