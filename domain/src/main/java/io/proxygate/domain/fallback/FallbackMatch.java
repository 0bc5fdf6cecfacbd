package io.proxygate.domain.fallback;

/**
 * The rule that applies to a request, with the request's normalised model and detected variant, and the model and
 * variant to use instead.
 */
public record FallbackMatch(FallbackRule rule, String fromModel, String fromVariant, String toModel,
                            String toVariant) {
    /** What switching to {@link #toVariant()} does to the body (already validated with the rule). */
    public VariantChange change() {
        return ClaudeVariants.change(toVariant);
    }
}
