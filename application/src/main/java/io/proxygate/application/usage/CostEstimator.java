package io.proxygate.application.usage;

import io.proxygate.domain.usage.TokenUsage;

import java.math.BigDecimal;
import java.util.Optional;

/** Prices a request's tokens; empty when the model is not in the price table. */
public interface CostEstimator {
    Optional<BigDecimal> estimate(String model, Optional<String> serviceTier, TokenUsage tokens);

    CostEstimator UNPRICED = (model, tier, tokens) -> Optional.empty();
}
