package io.proxygate.domain.routing;

import java.time.Duration;
import java.util.Locale;

/**
 * How one credential has been answering lately: exponential moving averages of its time to first byte and of its
 * error rate. Immutable; each sample makes a new value.
 *
 * <p>The error rate starts at 0 (a credential is presumed healthy) and moves a fifth of the way towards each
 * outcome, so it takes four failures in a row from a clean record to pass 0.5. While no outcome arrives it halves
 * every {@link #ERROR_HALF_LIFE}: a credential nobody uses any more is not held to an old outage forever. The time
 * to first byte starts at the first sample and is forgotten after {@link #TTFT_STALE_AFTER} without one, for the
 * same reason: a conversation that left a slow account may come back once nothing says it is still slow.
 *
 * @param ttftMillis       moving average of the time to first byte, NaN before the first sample
 * @param lastTtftMillis   when the last time-to-first-byte sample was taken (epoch millis)
 * @param errorRate        moving average of failures (1) and successes (0), as of {@code lastOutcomeMillis}
 * @param lastOutcomeMillis when the last outcome was recorded (epoch millis)
 */
public record ResponseHealth(double ttftMillis, long lastTtftMillis, double errorRate, long lastOutcomeMillis) {
    /** Weight of a new sample in either average. */
    public static final double ALPHA = 0.2;
    public static final Duration ERROR_HALF_LIFE = Duration.ofMinutes(5);
    public static final Duration TTFT_STALE_AFTER = Duration.ofMinutes(10);
    public static final ResponseHealth NONE = new ResponseHealth(Double.NaN, Long.MIN_VALUE, 0, Long.MIN_VALUE);

    /** A new time-to-first-byte sample taken at {@code nowMillis}. */
    public ResponseHealth withTtft(Duration ttft, long nowMillis) {
        double sample = Math.max(0, ttft.toMillis());
        double current = ttftMillis(nowMillis);
        double next = current != current ? sample : current + ALPHA * (sample - current);
        return new ResponseHealth(next, nowMillis, errorRate, lastOutcomeMillis);
    }

    /** A new outcome at {@code nowMillis}: {@code failed} for a 5xx, a connection failure or a broken stream. */
    public ResponseHealth withOutcome(boolean failed, long nowMillis) {
        double current = errorRate(nowMillis);
        double next = current + ALPHA * ((failed ? 1 : 0) - current);
        return new ResponseHealth(ttftMillis, lastTtftMillis, next, nowMillis);
    }

    /** The time-to-first-byte average at {@code nowMillis}; NaN when there is none or it is stale. */
    public double ttftMillis(long nowMillis) {
        if (ttftMillis != ttftMillis || nowMillis - lastTtftMillis > TTFT_STALE_AFTER.toMillis()) {
            return Double.NaN;
        }
        return ttftMillis;
    }

    /** The error-rate average at {@code nowMillis}, faded by the quiet time since the last outcome. */
    public double errorRate(long nowMillis) {
        if (errorRate == 0 || lastOutcomeMillis == Long.MIN_VALUE || nowMillis <= lastOutcomeMillis) {
            return errorRate;
        }
        double halfLives = (double) (nowMillis - lastOutcomeMillis) / ERROR_HALF_LIFE.toMillis();
        return errorRate * Math.pow(0.5, halfLives);
    }

    /**
     * Why a conversation pinned to this credential should move, or null when it may stay: the time-to-first-byte
     * average above {@code maxTtft}, or the error rate above {@code maxErrorRate}. A zero bound disables its check.
     */
    public String escapeReason(long nowMillis, Duration maxTtft, double maxErrorRate) {
        double ttft = ttftMillis(nowMillis);
        if (maxTtft != null && !maxTtft.isZero() && ttft == ttft && ttft > maxTtft.toMillis()) {
            return "TTFT average " + seconds(ttft) + " over " + seconds(maxTtft.toMillis());
        }
        double errors = errorRate(nowMillis);
        if (maxErrorRate > 0 && errors > maxErrorRate) {
            return String.format(Locale.ROOT, "error rate %.2f over %.2f", errors, maxErrorRate);
        }
        return null;
    }

    /**
     * Orders credentials that are otherwise equal: the one with the lower error rate first, then the faster one
     * (when either time to first byte is unknown, only the error rate counts). Negative when this one goes first.
     */
    public int compareHealth(ResponseHealth other, long nowMillis) {
        double mine = errorRate(nowMillis);
        double theirs = other.errorRate(nowMillis);
        if (Math.abs(mine - theirs) > 1e-9) {
            return mine < theirs ? -1 : 1;
        }
        double a = ttftMillis(nowMillis);
        double b = other.ttftMillis(nowMillis);
        if (a != a || b != b || a == b) {
            return 0;
        }
        return a < b ? -1 : 1;
    }

    /** "TTFT avg 1.2 s, errors 0.05", or what is unknown. */
    public String describe(long nowMillis) {
        double ttft = ttftMillis(nowMillis);
        return String.format(Locale.ROOT, "TTFT avg %s, error rate %.2f",
                ttft != ttft ? "unknown" : seconds(ttft), errorRate(nowMillis));
    }

    private static String seconds(double millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
