package io.proxygate.domain.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One subscription usage window (ChatGPT 5 h / weekly, Claude 5 h / 7 d): the fraction used (0..1, may exceed 1
 * when spent), when it resets, and its length.
 */
public record UsageWindow(double usedFraction, Optional<Instant> resetsAt, Duration length) {
    public static final Duration FIVE_HOURS = Duration.ofHours(5);
    public static final Duration WEEK = Duration.ofDays(7);

    public UsageWindow {
        if (Double.isNaN(usedFraction) || usedFraction < 0) {
            throw new IllegalArgumentException("usedFraction must be >= 0");
        }
        resetsAt = resetsAt == null ? Optional.empty() : resetsAt;
        Objects.requireNonNull(length, "length");
    }

    /** True when the window is spent and has not reset yet at {@code now}. */
    public boolean exhaustedAt(Instant now) {
        return usedFraction >= 1.0 && resetsAt.map(now::isBefore).orElse(true);
    }
}
