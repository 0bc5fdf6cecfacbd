package io.proxygate.application.proxy;

import java.time.Duration;

/**
 * Knobs of the failover loop.
 *
 * @param maxAttempts            upstream attempts per request, refresh retries not counted
 * @param maxCooldownWait        longest single wait for a cooldown to end when every candidate is cooling
 * @param movePinnedOnRateLimit  let a pinned conversation move to another credential after a 429 when the request
 *                               is not bound to the account (no previous_response_id, no encrypted reasoning)
 * @param maxErrorBodyBytes      how much of an upstream error body is relayed
 * @param attemptDeadline        the whole sequence of attempts and waits before the first byte ends by then and
 *                               the client gets its error; zero = no deadline beyond the per-attempt timeouts
 * @param maxStreamDuration      a relayed reply running longer than this is ended (with an error event for
 *                               streams); zero = no limit
 */
public record ProxySettings(int maxAttempts, Duration maxCooldownWait, boolean movePinnedOnRateLimit,
                            int maxErrorBodyBytes, Duration attemptDeadline, Duration maxStreamDuration) {
    public static final ProxySettings DEFAULTS = new ProxySettings(5, Duration.ofSeconds(10), true, 1 << 20);

    public ProxySettings {
        attemptDeadline = attemptDeadline == null || attemptDeadline.isNegative() ? Duration.ZERO : attemptDeadline;
        maxStreamDuration = maxStreamDuration == null || maxStreamDuration.isNegative() ? Duration.ZERO
                : maxStreamDuration;
    }

    public ProxySettings(int maxAttempts, Duration maxCooldownWait, boolean movePinnedOnRateLimit,
                         int maxErrorBodyBytes) {
        this(maxAttempts, maxCooldownWait, movePinnedOnRateLimit, maxErrorBodyBytes, Duration.ZERO, Duration.ZERO);
    }
}
