package io.proxygate.domain.usage;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A model's prices: the standard rates, the {@code priority} / {@code flex} service-tier rates (LiteLLM's
 * {@code *_priority} and {@code *_flex} fields; empty when the model has none) and the long-prompt tiers (sorted by
 * threshold, empty for most models).
 */
public record ModelPrice(TokenRates standard, TokenRates priority, TokenRates flex, List<ContextTier> contextTiers) {
    public ModelPrice {
        Objects.requireNonNull(standard, "standard");
        priority = priority == null ? TokenRates.NONE : priority;
        flex = flex == null ? TokenRates.NONE : flex;
        contextTiers = contextTiers == null ? List.of()
                : contextTiers.stream().sorted(Comparator.comparingLong(ContextTier::aboveTokens)).toList();
    }

    /** Prices without long-prompt tiers. */
    public ModelPrice(TokenRates standard, TokenRates priority, TokenRates flex) {
        this(standard, priority, flex, List.of());
    }

    public static ModelPrice of(TokenRates standard) {
        return new ModelPrice(standard, TokenRates.NONE, TokenRates.NONE);
    }

    /**
     * The rates a request on {@code tier} pays: each tier rate when set, else the standard one (a model without
     * flex prices bills flex requests at standard rates).
     */
    public TokenRates ratesFor(PriceTier tier) {
        return switch (tier) {
            case STANDARD -> standard;
            case PRIORITY -> priority.over(standard);
            case FLEX -> flex.over(standard);
        };
    }

    /**
     * The rates a request on {@code tier} with a prompt of {@code promptTokens} pays: the rates of the highest
     * long-prompt tier the prompt is above (strictly), laid over {@link #ratesFor(PriceTier)}. A whole request is
     * billed at the long-prompt rates once its prompt crosses the threshold, not only the tokens past it. Flex has no
     * long-prompt rates, and priority only when the model publishes them.
     */
    public TokenRates ratesFor(PriceTier tier, long promptTokens) {
        TokenRates base = ratesFor(tier);
        ContextTier above = null;
        for (ContextTier t : contextTiers) {
            if (promptTokens > t.aboveTokens()) {
                above = t;
            }
        }
        if (above == null) {
            return base;
        }
        return switch (tier) {
            case STANDARD -> above.standard().over(base);
            case PRIORITY -> above.priority().over(base);
            case FLEX -> base;
        };
    }

    /** A model counts as priced when its standard input, output or cache-read rate is above zero. */
    public boolean isPriced() {
        return standard.input().signum() > 0 || standard.output().signum() > 0 || standard.cacheRead().signum() > 0;
    }
}
