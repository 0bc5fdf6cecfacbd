package io.proxygate.adapter.out.upstream.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.application.port.out.PriceSourceException;
import io.proxygate.domain.usage.ContextTier;
import io.proxygate.domain.usage.ModelPrice;
import io.proxygate.domain.usage.PriceTable;
import io.proxygate.domain.usage.TokenRates;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads LiteLLM's {@code model_prices_and_context_window.json} into a {@link PriceTable}: every entry with a
 * per-token price above zero, whatever its provider or mode (a client may name any model LiteLLM knows, and an
 * estimate beats "unpriced"). Exact names win in {@link PriceTable#lookup}, so first-party names keep first-party
 * prices. Read per entry: the standard, {@code _priority} and {@code _flex} rates, the long-prompt rates
 * ({@code *_above_<N>k_tokens}, also {@code _priority}), and the one-hour cache-write rate
 * ({@code cache_creation_input_token_cost_above_1hr}). Everything else in the file (the {@code sample_spec} entry,
 * top-level strings such as {@code last_updated}, per-image, per-second or per-character prices) is skipped without
 * complaint. Numbers are read as exact decimals, never through {@code double}.
 */
public final class LiteLlmPriceLoader {
    /** The snapshot of LiteLLM's whole table inside the jar (copied from {@code testdata/litellm} at build time). */
    static final String EMBEDDED = "model_prices_and_context_window.json";
    /** {@code <rate field>_above_<N>k_tokens[_priority]}; the greedy base keeps {@code ..._above_1hr} whole. */
    private static final Pattern CONTEXT_TIER_FIELD = Pattern.compile("^(.+)_above_(\\d{1,6})k_tokens(_priority)?$");
    private static final String INPUT = "input_cost_per_token";
    private static final String OUTPUT = "output_cost_per_token";
    private static final String CACHE_READ = "cache_read_input_token_cost";
    private static final String CACHE_WRITE = "cache_creation_input_token_cost";
    private static final String CACHE_WRITE_1H = "cache_creation_input_token_cost_above_1hr";
    private static final String REASONING = "output_cost_per_reasoning_token";
    private static final Set<String> RATE_FIELDS = Set.of(INPUT, OUTPUT, CACHE_READ, CACHE_WRITE, CACHE_WRITE_1H,
            REASONING);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private LiteLlmPriceLoader() {
    }

    /** Parses a whole LiteLLM file. */
    public static PriceTable parse(InputStream json) throws PriceSourceException {
        return parseRead(() -> JSON.readTree(json));
    }

    /** Parses a whole LiteLLM file. */
    public static PriceTable parse(byte[] json) throws PriceSourceException {
        return parseRead(() -> JSON.readTree(json));
    }

    /** Reads a whole LiteLLM file from some source. */
    @FunctionalInterface
    private interface TreeRead {
        JsonNode read() throws IOException;
    }

    private static PriceTable parseRead(TreeRead read) throws PriceSourceException {
        try {
            return parse(read.read());
        } catch (JsonProcessingException e) {
            throw new PriceSourceException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PriceSourceException("could not read prices: " + e.getMessage(), e);
        }
    }

    /** Parses a LiteLLM-shaped object; an empty result is the caller's to judge. */
    public static PriceTable parse(JsonNode root) throws PriceSourceException {
        if (root == null || !root.isObject()) {
            throw new PriceSourceException("price table is not a JSON object");
        }
        return parseEntries(root);
    }

    /** Reads an object of {@code model -> price fields}, as LiteLLM's file or {@link #toJson(PriceTable)} write it. */
    public static PriceTable parseEntries(JsonNode models) throws PriceSourceException {
        if (models == null || !models.isObject()) {
            throw new PriceSourceException("price entries are not a JSON object");
        }
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : models.properties()) {
            if (entry.getValue().isObject()) {
                ModelPrice price = price(entry.getValue());
                if (price.isPriced()) {
                    prices.put(entry.getKey(), price);
                }
            }
        }
        return PriceTable.of(prices);
    }

    /** The LiteLLM snapshot built into the jar: the whole table, used until a fetch succeeds. */
    public static PriceTable builtIn() {
        try (InputStream in = LiteLlmPriceLoader.class.getResourceAsStream(EMBEDDED)) {
            if (in == null) {
                throw new IllegalStateException(EMBEDDED + " is missing from the jar");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PriceSourceException e) {
            throw new IllegalStateException(EMBEDDED + " is broken: " + e.getMessage(), e);
        }
    }

    /** Writes {@code table} with LiteLLM's field names (only the fields we read); {@link #parseEntries} reads it. */
    public static ObjectNode toJson(PriceTable table) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        table.entries().forEach((model, price) -> {
            ObjectNode spec = root.putObject(model);
            put(spec, price.standard(), "");
            put(spec, price.priority(), "_priority");
            put(spec, price.flex(), "_flex");
            for (ContextTier tier : price.contextTiers()) {
                String above = "_above_" + tier.aboveTokens() / 1000 + "k_tokens";
                put(spec, tier.standard(), above);
                put(spec, tier.priority(), above + "_priority");
            }
        });
        return root;
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    private static ModelPrice price(JsonNode spec) {
        SortedSet<Long> thresholds = new TreeSet<>(); // in thousands of tokens, as the field names give them
        for (Iterator<String> names = spec.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.contains("k_tokens")) {
                continue;
            }
            Matcher m = CONTEXT_TIER_FIELD.matcher(name);
            if (m.matches() && RATE_FIELDS.contains(m.group(1))) {
                thresholds.add(Long.parseLong(m.group(2)));
            }
        }
        List<ContextTier> contextTiers = new ArrayList<>();
        for (long thousands : thresholds) {
            String above = "_above_" + thousands + "k_tokens";
            TokenRates standard = rates(spec, above);
            TokenRates priority = rates(spec, above + "_priority");
            if (!standard.isEmpty() || !priority.isEmpty()) {
                contextTiers.add(new ContextTier(thousands * 1000, standard, priority));
            }
        }
        return new ModelPrice(rates(spec, ""), rates(spec, "_priority"), rates(spec, "_flex"), contextTiers);
    }

    private static TokenRates rates(JsonNode spec, String suffix) {
        return new TokenRates(
                rate(spec, INPUT + suffix),
                rate(spec, OUTPUT + suffix),
                rate(spec, CACHE_READ + suffix),
                rate(spec, CACHE_WRITE + suffix),
                rate(spec, REASONING + suffix),
                rate(spec, CACHE_WRITE_1H + suffix));
    }

    /** A price field; absent, non-numeric (as in {@code sample_spec}) or negative values count as unset. */
    private static BigDecimal rate(JsonNode spec, String field) {
        JsonNode value = spec.get(field);
        if (value == null || !value.isNumber()) {
            return BigDecimal.ZERO;
        }
        BigDecimal rate = value.decimalValue();
        return rate.signum() > 0 ? rate : BigDecimal.ZERO;
    }

    private static void put(ObjectNode spec, TokenRates rates, String suffix) {
        putRate(spec, INPUT + suffix, rates.input());
        putRate(spec, OUTPUT + suffix, rates.output());
        putRate(spec, CACHE_READ + suffix, rates.cacheRead());
        putRate(spec, CACHE_WRITE + suffix, rates.cacheCreation());
        putRate(spec, REASONING + suffix, rates.reasoning());
        putRate(spec, CACHE_WRITE_1H + suffix, rates.cacheCreation1h());
    }

    private static void putRate(ObjectNode spec, String field, BigDecimal rate) {
        if (rate.signum() > 0) {
            spec.put(field, rate);
        }
    }
}
