package io.proxygate.domain.usage;

import java.util.Objects;

/**
 * A model's prices: the standard rates and the {@code priority} / {@code flex} service-tier rates (LiteLLM's
 * {@code *_priority} and {@code *_flex} fields; empty when the model has none).
 */
public record ModelPrice(TokenRates standard, TokenRates priority, TokenRates flex) {
    public ModelPrice {
        Objects.requireNonNull(standard, "standard");
        priority = priority == null ? TokenRates.NONE : priority;
        flex = flex == null ? TokenRates.NONE : flex;
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

    /** A model counts as priced when its standard input, output or cache-read rate is above zero. */
    public boolean isPriced() {
        return standard.input().signum() > 0 || standard.output().signum() > 0 || standard.cacheRead().signum() > 0;
    }
}
