package io.proxygate.domain.routing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Model families for per-model cooldowns. Providers limit some models separately from the account as a whole
 * (Claude's weekly Opus window; model-level limits on Codex): a 429 that names the family of the requested model
 * cools only that family on the credential, and requests for other models keep using it.
 */
public final class ModelFamily {
    private static final List<String> CLAUDE_FAMILIES = List.of("opus", "sonnet", "haiku");
    private static final String CLAIM_HEADER = "anthropic-ratelimit-unified-representative-claim";

    private ModelFamily() {
    }

    /** The family a model belongs to: Claude's opus/sonnet/haiku, else the model name itself (lower case). */
    public static String of(String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT).strip();
        for (String family : CLAUDE_FAMILIES) {
            if (m.contains(family)) {
                return family;
            }
        }
        return m;
    }

    /**
     * The family a 429 for {@code model} is limited to, if it names one: Claude's representative claim header
     * naming a family window ({@code seven_day_opus}), or an error text that names the requested model or its
     * family. Empty for an account-wide limit.
     */
    public static Optional<String> limitedBy429(Function<String, Optional<String>> header, String body, String model) {
        if (model == null || model.isBlank() || model.equals("unknown")) {
            return Optional.empty();
        }
        String family = of(model);
        Optional<String> claim = header.apply(CLAIM_HEADER).map(c -> c.toLowerCase(Locale.ROOT));
        if (claim.isPresent()) {
            for (String f : CLAUDE_FAMILIES) {
                if (claim.get().endsWith("_" + f)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
        String text = body == null ? "" : body.length() > 8192 ? body.substring(0, 8192) : body;
        text = text.toLowerCase(Locale.ROOT);
        if (text.contains(model.toLowerCase(Locale.ROOT)) || (!family.equals(model.toLowerCase(Locale.ROOT))
                && text.matches("(?s).*\\b" + family + "\\b.*"))) {
            return Optional.of(family);
        }
        return Optional.empty();
    }
}
