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
 */
public record ProxySettings(int maxAttempts, Duration maxCooldownWait, boolean movePinnedOnRateLimit,
                            int maxErrorBodyBytes) {
    public static final ProxySettings DEFAULTS = new ProxySettings(5, Duration.ofSeconds(10), true, 1 << 20);
}
