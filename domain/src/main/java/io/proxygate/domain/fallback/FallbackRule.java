package io.proxygate.domain.fallback;

import java.util.Optional;

/**
 * One rule: requests for {@code fromModel} (and, when given, of {@code fromVariant}) go to {@code toModel} switched
 * to {@code toVariant}. Names are normalised on construction; an empty {@code toVariant} means {@code preserve}.
 *
 * @throws InvalidFallbackPolicyException when an enabled rule lacks a model, or {@code toVariant} cannot be applied
 */
public record FallbackRule(boolean enabled, String fromModel, String fromVariant, String toModel, String toVariant) {
    public FallbackRule {
        fromModel = ClaudeModelNames.normalise(fromModel);
        toModel = ClaudeModelNames.normalise(toModel);
        fromVariant = ClaudeVariants.normalise(fromVariant);
        toVariant = ClaudeVariants.normalise(toVariant);
        if (toVariant.isEmpty()) {
            toVariant = ClaudeVariants.PRESERVE;
        }
        if (enabled && (fromModel.isEmpty() || toModel.isEmpty())) {
            throw new InvalidFallbackPolicyException("enabled fallback rules require from_model and to_model");
        }
        try {
            ClaudeVariants.change(toVariant);
        } catch (UnsupportedVariantException e) {
            throw new InvalidFallbackPolicyException(e.getMessage());
        }
    }

    /** An enabled rule from one model to another, keeping the request's variant. */
    public static FallbackRule of(String fromModel, String toModel) {
        return new FallbackRule(true, fromModel, "", toModel, ClaudeVariants.PRESERVE);
    }

    /** Empty when the rule matches any variant. */
    public Optional<String> fromVariantFilter() {
        return fromVariant.isEmpty() ? Optional.empty() : Optional.of(fromVariant);
    }

    boolean matches(String normalisedModel, String variant) {
        return enabled && !fromModel.isEmpty() && fromModel.equals(normalisedModel)
                && (fromVariant.isEmpty() || fromVariant.equals(variant)) && !toModel.isEmpty();
    }
}
