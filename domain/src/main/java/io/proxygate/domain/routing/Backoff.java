package io.proxygate.domain.routing;

import java.time.Duration;

/**
 * How long a credential rests after server errors or connection failures, counted in failure <em>episodes</em>
 * (concurrent attempts failing together are one episode; the router decides what counts). The rest doubles per
 * episode from one second and stops at {@link #MAX}: an upstream that recovers must get the credential back within
 * minutes, not the half hour an uncapped doubling reaches after a short storm. The streak also fades with quiet
 * time, so an old storm does not send an idle credential into a long rest at its next single failure.
 */
public final class Backoff {
    public static final Duration BASE = Duration.ofSeconds(1);
    /** The longest rest after server errors; also the bound within which a recovered upstream is used again. */
    public static final Duration MAX = Duration.ofMinutes(2);
    /** Each full step of quiet time (no failure, no cooldown) takes one episode off the streak. */
    public static final Duration DECAY_STEP = Duration.ofMinutes(1);

    private Backoff() {
    }

    /**
     * {@code 1 s << streak}, capped at {@link #MAX}: 0 → 1 s, 1 → 2 s, 4 → 16 s, 7 or more → 2 min. {@code streak}
     * counts the episodes before this one; negative counts as 0.
     */
    public static Duration forServerErrors(int streak) {
        if (streak <= 0) {
            return BASE;
        }
        if (streak >= 31) {
            return MAX;
        }
        long millis = BASE.toMillis() << streak;
        return millis >= MAX.toMillis() ? MAX : Duration.ofMillis(millis);
    }

    /** The streak left after {@code quiet} without failures: one episode less per {@link #DECAY_STEP}. */
    public static int decayed(int streak, Duration quiet) {
        if (streak <= 0) {
            return 0;
        }
        if (quiet.isNegative() || quiet.isZero()) {
            return streak;
        }
        long steps = quiet.toMillis() / DECAY_STEP.toMillis();
        return steps >= streak ? 0 : (int) (streak - steps);
    }
}
