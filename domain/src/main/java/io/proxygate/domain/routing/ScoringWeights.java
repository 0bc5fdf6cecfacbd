package io.proxygate.domain.routing;

/**
 * The routing knobs ({@code [routing]} and {@code [broker]} in {@code config.toml}).
 *
 * @param drainMultiplier     weight of weekly (secondary) headroom; 0 means the default 1.0
 * @param primaryBonus        weight of 5-hour (primary) headroom, default 0.1
 * @param primaryUsedPctMax   a ChatGPT account whose 5-hour window is used at least this fraction is excluded;
 *                            applies only when &gt; 0 (default 1.0)
 * @param secondaryUsedPctMax the same for the weekly window
 */
public record ScoringWeights(double drainMultiplier, double primaryBonus, double primaryUsedPctMax,
                             double secondaryUsedPctMax) {
    public static final ScoringWeights DEFAULTS = new ScoringWeights(1.0, 0.1, 1.0, 1.0);

    public ScoringWeights {
        requireFinite(drainMultiplier, "drain_multiplier");
        requireFinite(primaryBonus, "primary_bonus");
        requireFinite(primaryUsedPctMax, "primary_used_pct_max");
        requireFinite(secondaryUsedPctMax, "secondary_used_pct_max");
        if (drainMultiplier == 0 && primaryBonus == 0) {
            // All-zero weights mean "not configured" (an empty table), not "ignore usage".
            primaryBonus = 0.1;
        }
        if (drainMultiplier == 0) {
            drainMultiplier = 1.0;
        }
    }

    private static void requireFinite(double value, String name) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }
}
