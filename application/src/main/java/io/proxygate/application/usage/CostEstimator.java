package io.proxygate.application.usage;

import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.domain.usage.UsageConvention;

import java.math.BigDecimal;
import java.util.Optional;

/** Prices a request's tokens; empty when the model is not in the price table. */
public interface CostEstimator {
    /**
     * Prices {@code tokens} counted the way {@link UsageConvention#forModel(String)} guesses for {@code model}
     * ({@code claude*} models: Anthropic, others: OpenAI). Prefer the overload that names the convention.
     */
    Optional<BigDecimal> estimate(String model, Optional<String> serviceTier, TokenUsage tokens);

    /**
     * Prices {@code tokens} counted by {@code convention} (the API the request went through: Messages means
     * {@link UsageConvention#ANTHROPIC}, whose input tokens exclude cache reads and writes). Implementations
     * that only know one convention may ignore it; {@code PricingService} does not.
     */
    default Optional<BigDecimal> estimate(String model, Optional<String> serviceTier, TokenUsage tokens,
                                          UsageConvention convention) {
        return estimate(model, serviceTier, tokens);
    }

    /**
     * Like {@link #estimate(String, Optional, TokenUsage)}, for a guess made before the request runs (a client
     * key's budget reservation): it is no priced request, so an unpriced model is not counted as one.
     */
    default Optional<BigDecimal> foresee(String model, TokenUsage tokens) {
        return estimate(model, Optional.empty(), tokens);
    }

    CostEstimator UNPRICED = (model, tier, tokens) -> Optional.empty();
}
