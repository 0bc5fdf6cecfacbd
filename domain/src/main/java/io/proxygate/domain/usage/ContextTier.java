package io.proxygate.domain.usage;

import java.util.Objects;

/**
 * Rates that replace a model's base rates once a request's prompt is longer than {@code aboveTokens} (LiteLLM's
 * {@code *_above_200k_tokens} and {@code *_above_272k_tokens} fields). Each rate left at zero keeps the base rate.
 *
 * @param standard the long-prompt rates of the standard tier
 * @param priority the long-prompt rates of the priority tier ({@code *_above_272k_tokens_priority}); empty when
 *                 the model publishes none, and then a priority request keeps its priority rates
 */
public record ContextTier(long aboveTokens, TokenRates standard, TokenRates priority) {
    public ContextTier {
        if (aboveTokens <= 0) {
            throw new IllegalArgumentException("aboveTokens must be positive");
        }
        Objects.requireNonNull(standard, "standard");
        priority = priority == null ? TokenRates.NONE : priority;
    }
}
