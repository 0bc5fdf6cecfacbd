package io.proxygate.application.routing;

import io.proxygate.domain.routing.HeadroomScorer;
import io.proxygate.domain.routing.RoutingPriority;
import io.proxygate.domain.routing.ScoringWeights;

import java.time.Duration;

/**
 * Router configuration: the {@code [routing]} and {@code [broker]} keys of {@code config.toml}, plus limits.
 *
 * @param priority            which credential family is tried first
 * @param drainMultiplier     weight of weekly headroom ({@code routing.drain_multiplier}; 0 means 1.0)
 * @param primaryBonus        weight of 5-hour headroom ({@code routing.primary_bonus})
 * @param primaryUsedPctMax   ChatGPT 5-hour use (a fraction) at which an account is excluded; only when &gt; 0
 * @param secondaryUsedPctMax the same for the weekly window
 * @param pinTtl              how long an idle conversation pin lives ({@code broker.pin_ttl}; &le; 0 means 1 h)
 * @param maxPins             bound of the pin table (least recently used pins go first)
 * @param usageFreshness      how old Claude usage windows may be and still be scored on
 * @param candidatesPerKind   how many ranked candidates a plan offers per credential kind (ChatGPT accounts,
 *                            Claude accounts, API keys); the proxy tries at most this many of a kind
 * @param stickyMaxTtft       a conversation leaves its pinned credential when that credential's time-to-first-byte
 *                            average exceeds this ({@code routing.sticky_max_ttft}; zero disables the check)
 * @param stickyMaxErrorRate  the same for the error-rate average ({@code routing.sticky_max_error_rate}, 0..1;
 *                            zero disables the check)
 */
public record RoutingSettings(RoutingPriority priority, double drainMultiplier, double primaryBonus,
                              double primaryUsedPctMax, double secondaryUsedPctMax, Duration pinTtl, int maxPins,
                              Duration usageFreshness, int candidatesPerKind,
                              Duration stickyMaxTtft, double stickyMaxErrorRate) {
    public static final Duration DEFAULT_STICKY_MAX_TTFT = Duration.ofSeconds(15);
    public static final double DEFAULT_STICKY_MAX_ERROR_RATE = 0.5;
    public static final RoutingSettings DEFAULTS = new RoutingSettings(RoutingPriority.ACCOUNT_FIRST, 1.0, 0.1, 1.0,
            1.0, Duration.ofHours(1), 100_000, HeadroomScorer.DEFAULT_FRESHNESS, 5);

    /** With the default sticky-session bounds. */
    public RoutingSettings(RoutingPriority priority, double drainMultiplier, double primaryBonus,
                           double primaryUsedPctMax, double secondaryUsedPctMax, Duration pinTtl, int maxPins,
                           Duration usageFreshness, int candidatesPerKind) {
        this(priority, drainMultiplier, primaryBonus, primaryUsedPctMax, secondaryUsedPctMax, pinTtl, maxPins,
                usageFreshness, candidatesPerKind, DEFAULT_STICKY_MAX_TTFT,
                DEFAULT_STICKY_MAX_ERROR_RATE);
    }

    public RoutingSettings {
        priority = priority == null ? RoutingPriority.ACCOUNT_FIRST : priority;
        pinTtl = pinTtl == null || pinTtl.isNegative() || pinTtl.isZero() ? Duration.ofHours(1) : pinTtl;
        usageFreshness = usageFreshness == null || usageFreshness.isNegative()
                ? HeadroomScorer.DEFAULT_FRESHNESS : usageFreshness;
        stickyMaxTtft = stickyMaxTtft == null || stickyMaxTtft.isNegative() ? DEFAULT_STICKY_MAX_TTFT : stickyMaxTtft;
        if (!(stickyMaxErrorRate >= 0 && stickyMaxErrorRate <= 1)) {
            throw new IllegalArgumentException("routing.sticky_max_error_rate must be within 0..1, got "
                    + stickyMaxErrorRate);
        }
        if (maxPins < 1) {
            throw new IllegalArgumentException("max pins must be >= 1, got " + maxPins);
        }
        if (candidatesPerKind < 1) {
            throw new IllegalArgumentException("candidates per kind must be >= 1, got " + candidatesPerKind);
        }
        // Validates the four knobs (finite, not negative) with their config names.
        new ScoringWeights(drainMultiplier, primaryBonus, primaryUsedPctMax, secondaryUsedPctMax);
    }

    public ScoringWeights weights() {
        return new ScoringWeights(drainMultiplier, primaryBonus, primaryUsedPctMax, secondaryUsedPctMax);
    }

    public RoutingSettings withPriority(RoutingPriority newPriority) {
        return new RoutingSettings(newPriority, drainMultiplier, primaryBonus, primaryUsedPctMax, secondaryUsedPctMax,
                pinTtl, maxPins, usageFreshness, candidatesPerKind, stickyMaxTtft, stickyMaxErrorRate);
    }

    public RoutingSettings withUsedPctMax(double primary, double secondary) {
        return new RoutingSettings(priority, drainMultiplier, primaryBonus, primary, secondary, pinTtl, maxPins,
                usageFreshness, candidatesPerKind, stickyMaxTtft, stickyMaxErrorRate);
    }

    public RoutingSettings withCandidatesPerKind(int count) {
        return new RoutingSettings(priority, drainMultiplier, primaryBonus, primaryUsedPctMax, secondaryUsedPctMax,
                pinTtl, maxPins, usageFreshness, count, stickyMaxTtft,
                stickyMaxErrorRate);
    }

    /** A conversation leaves its pinned credential above either bound (zero disables that bound). */
    public RoutingSettings withSticky(Duration maxTtft, double maxErrorRate) {
        return new RoutingSettings(priority, drainMultiplier, primaryBonus, primaryUsedPctMax, secondaryUsedPctMax,
                pinTtl, maxPins, usageFreshness, candidatesPerKind, maxTtft, maxErrorRate);
    }
}
