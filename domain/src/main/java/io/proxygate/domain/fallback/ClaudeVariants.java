package io.proxygate.domain.fallback;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Claude request variants a fallback rule can match on and switch to: the catalog shown to admins, the
 * detection of a request's variant, and what switching to a variant does.
 */
public final class ClaudeVariants {
    public static final String PRESERVE = "preserve";
    public static final String DEFAULT = "default";
    public static final String NONE = "none";
    public static final String LONG_CONTEXT = "long-context";
    /** Detected for {@code thinking: {type: enabled}} without a budget; matchable, not applicable. */
    public static final String THINKING = "thinking";
    private static final String THINKING_PREFIX = "thinking-";

    public static final List<VariantInfo> CATALOG = List.of(
            new VariantInfo(PRESERVE, "Preserve", "Keep incoming request thinking/options unchanged."),
            new VariantInfo(DEFAULT, "Default", "Remove explicit thinking options."),
            new VariantInfo(NONE, "None", "Remove explicit thinking options."),
            new VariantInfo("thinking-16k", "Thinking 16k", "Set Anthropic thinking budget to 16k tokens."),
            new VariantInfo("thinking-32k", "Thinking 32k", "Set Anthropic thinking budget to 32k tokens."),
            new VariantInfo("thinking-64k", "Thinking 64k", "Set Anthropic thinking budget to 64k tokens."),
            new VariantInfo(LONG_CONTEXT, "Long Context 1M",
                    "No request patch for Claude 4.6+ 1M models; kept as an explicit routing label."));

    private ClaudeVariants() {
    }

    /** Lower case, {@code _} and spaces as dashes, no leading or trailing dashes; empty for null. */
    public static String normalise(String variant) {
        if (variant == null) {
            return "";
        }
        String v = variant.strip().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
        return ClaudeModelNames.trimDashes(v);
    }

    /**
     * A request's variant, by precedence: the {@code x-proxygate-variant} header, the body's
     * {@code metadata.proxygate_variant}, then its thinking settings ({@code enabled} with a budget →
     * {@code thinking-<ceil(budget/1000)>k}, without → {@code thinking}; {@code disabled} → {@code none});
     * otherwise {@code default}.
     */
    public static String detect(Optional<String> header, VariantHints hints) {
        Optional<String> explicit = header.filter(h -> !h.isBlank()).or(hints::metadataVariant);
        if (explicit.isPresent()) {
            return normalise(explicit.get());
        }
        String type = hints.thinkingType().map(t -> t.toLowerCase(Locale.ROOT)).orElse("");
        return switch (type) {
            case "enabled" -> {
                long budget = hints.thinkingBudget().orElse(0);
                yield budget > 0 ? THINKING_PREFIX + ((budget + 999) / 1000) + "k" : THINKING;
            }
            case "disabled" -> NONE;
            default -> DEFAULT;
        };
    }

    /**
     * What switching a request to {@code variant} does.
     *
     * @throws UnsupportedVariantException when the variant cannot be applied
     */
    public static VariantChange change(String variant) {
        String v = normalise(variant);
        switch (v) {
            case "", PRESERVE, LONG_CONTEXT -> {
                return new VariantChange.Keep();
            }
            case DEFAULT, NONE -> {
                return new VariantChange.RemoveThinking();
            }
            default -> {
            }
        }
        if (v.startsWith(THINKING_PREFIX) && v.endsWith("k")) {
            String digits = v.substring(THINKING_PREFIX.length(), v.length() - 1);
            long thousands = digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(Character::isDigit)
                    ? 0 : Long.parseLong(digits);
            if (thousands <= 0) {
                throw new UnsupportedVariantException("invalid claude variant \"" + variant + "\"");
            }
            return new VariantChange.SetThinking(thousands * 1000);
        }
        throw new UnsupportedVariantException("unsupported claude variant \"" + variant + "\"");
    }
}
