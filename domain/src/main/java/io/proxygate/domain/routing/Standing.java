package io.proxygate.domain.routing;

/**
 * Coarse rank band, compared before the score: every {@link #HEALTHY} candidate ranks above every
 * {@link #UNMEASURED} one, which ranks above every {@link #HOT} one.
 */
public enum Standing {
    /** Scored on its usage windows (or an API key, scored on load). */
    HEALTHY,
    /** A Claude account whose usage is unknown or stale: ranked by token load, after the measured ones. */
    UNMEASURED,
    /** An account at 90 % or more of a window: kept as a last resort so that healthy headroom is used first. */
    HOT
}
