package io.proxygate.domain.usage;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An immutable table of model prices and the rules for finding a model in it. Lookup order:
 * <ol>
 *   <li>the name itself, then with each provider prefix added ({@code openai/}, {@code azure/},
 *       {@code openrouter/openai/}, {@code anthropic/}, {@code openrouter/anthropic/}), then with its own prefix
 *       stripped;</li>
 *   <li>the codex aliases ({@code gpt-5-codex -> gpt-5}, {@code gpt-5.3-codex -> gpt-5.2-codex}), same rules;</li>
 *   <li>the name without a trailing snapshot date ({@code -20251001} or {@code -2025-10-01}), same rules.</li>
 * </ol>
 * A direct match beats an alias, entries priced at zero count as misses, names are compared case-sensitively, and
 * blank names and {@code unknown} never match.
 */
public final class PriceTable {
    private static final List<String> PROVIDER_PREFIXES =
            List.of("openai/", "azure/", "openrouter/openai/", "anthropic/", "openrouter/anthropic/");
    private static final Map<String, String> CODEX_ALIASES =
            Map.of("gpt-5-codex", "gpt-5", "gpt-5.3-codex", "gpt-5.2-codex");
    private static final Pattern SNAPSHOT_DATE = Pattern.compile("-(?:\\d{8}|\\d{4}-\\d{2}-\\d{2})$");

    public static final PriceTable EMPTY = new PriceTable(Map.of());

    private final Map<String, ModelPrice> prices;

    private PriceTable(Map<String, ModelPrice> prices) {
        this.prices = Collections.unmodifiableMap(new TreeMap<>(prices));
    }

    public static PriceTable of(Map<String, ModelPrice> prices) {
        Objects.requireNonNull(prices, "prices");
        return new PriceTable(prices);
    }

    /** The model's prices, following the lookup rules above. */
    public Optional<ModelPrice> lookup(String model) {
        if (model == null || model.isBlank() || model.equals("unknown")) {
            return Optional.empty();
        }
        Optional<ModelPrice> direct = lookupWithPrefixes(model);
        if (direct.isPresent()) {
            return direct;
        }
        String alias = CODEX_ALIASES.get(stripPrefix(model));
        if (alias != null) {
            Optional<ModelPrice> aliased = lookupWithPrefixes(alias);
            if (aliased.isPresent()) {
                return aliased;
            }
        }
        String undated = SNAPSHOT_DATE.matcher(model).replaceFirst("");
        if (!undated.equals(model) && !undated.isEmpty()) {
            return lookup(undated);
        }
        // Providers take model names in any case ("GPT-5" is gpt-5), and the table's names are lower case.
        String lower = model.toLowerCase(java.util.Locale.ROOT);
        return lower.equals(model) ? Optional.empty() : lookup(lower);
    }

    /** Looks {@code model} up here first, then in {@code fallback}: how the built-in table backs a fetched one. */
    public Optional<ModelPrice> lookup(String model, PriceTable fallback) {
        return lookup(model).or(() -> fallback.lookup(model));
    }

    /** The entries as stored, sorted by name (for status pages and the cache file). */
    public Map<String, ModelPrice> entries() {
        return prices;
    }

    /** The number of priced entries. */
    public int size() {
        return (int) prices.values().stream().filter(ModelPrice::isPriced).count();
    }

    private Optional<ModelPrice> lookupWithPrefixes(String model) {
        Optional<ModelPrice> exact = priced(model);
        if (exact.isPresent()) {
            return exact;
        }
        for (String prefix : PROVIDER_PREFIXES) {
            Optional<ModelPrice> prefixed = priced(prefix + model);
            if (prefixed.isPresent()) {
                return prefixed;
            }
        }
        String stripped = stripPrefix(model);
        return stripped.equals(model) ? Optional.empty() : priced(stripped);
    }

    private Optional<ModelPrice> priced(String name) {
        return Optional.ofNullable(prices.get(name)).filter(ModelPrice::isPriced);
    }

    /** Removes one known provider prefix; the longest match wins so {@code openrouter/openai/x} becomes {@code x}. */
    private static String stripPrefix(String model) {
        String best = null;
        for (String prefix : PROVIDER_PREFIXES) {
            if (model.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? model : model.substring(best.length());
    }

    @Override
    public String toString() {
        return "PriceTable[" + prices.size() + " models]";
    }
}
