package io.proxygate.domain.fallback;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a Messages request body says about its variant: an explicit {@code metadata.proxygate_variant}, and its
 * {@code thinking.type} and {@code thinking.budget_tokens}. Read by an adapter; interpreted by
 * {@link ClaudeVariants#detect}.
 */
public record VariantHints(Optional<String> metadataVariant, Optional<String> thinkingType,
                           OptionalLong thinkingBudget) {
    public static final VariantHints NONE = new VariantHints(Optional.empty(), Optional.empty(), OptionalLong.empty());

    public VariantHints {
        metadataVariant = metadataVariant == null ? Optional.empty() : metadataVariant.filter(v -> !v.isBlank());
        thinkingType = thinkingType == null ? Optional.empty() : thinkingType.filter(v -> !v.isBlank());
        thinkingBudget = thinkingBudget == null ? OptionalLong.empty() : thinkingBudget;
    }
}
