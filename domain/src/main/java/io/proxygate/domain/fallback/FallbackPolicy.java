package io.proxygate.domain.fallback;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When the Claude pool cannot serve a Messages request: whether to fall back to Claude on Vertex AI at all, and the
 * ordered rules that say which model (and variant) to use there. The first enabled matching rule wins.
 * An empty rule list means the default rules (a policy saved with no rules still falls back sensibly).
 */
public record FallbackPolicy(boolean enabled, List<FallbackRule> rules) {
    public static final List<FallbackRule> DEFAULT_RULES = List.of(
            FallbackRule.of("claude-opus-4-7", "claude-opus-4-6"),
            FallbackRule.of("claude-haiku-4-5", "claude-sonnet-4-6"),
            FallbackRule.of("claude-sonnet-4-6", "claude-sonnet-4-6"));

    /** Enabled, with the default rules. */
    public static final FallbackPolicy DEFAULT = new FallbackPolicy(true, DEFAULT_RULES);

    public FallbackPolicy {
        rules = rules == null || rules.isEmpty() ? DEFAULT_RULES : List.copyOf(rules);
        rules.forEach(r -> Objects.requireNonNull(r, "rule"));
    }

    /**
     * The rule for a request of {@code model} whose detected variant is {@code variant}; empty when the policy is
     * disabled or no enabled rule matches.
     */
    public Optional<FallbackMatch> match(String model, String variant) {
        if (!enabled) {
            return Optional.empty();
        }
        String from = ClaudeModelNames.normalise(model);
        String detected = ClaudeVariants.normalise(variant);
        for (FallbackRule rule : rules) {
            if (rule.matches(from, detected)) {
                return Optional.of(new FallbackMatch(rule, from, detected, rule.toModel(), rule.toVariant()));
            }
        }
        return Optional.empty();
    }
}
