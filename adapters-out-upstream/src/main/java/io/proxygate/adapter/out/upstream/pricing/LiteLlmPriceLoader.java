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
import io.proxygate.domain.usage.ModelPrice;
import io.proxygate.domain.usage.PriceTable;
import io.proxygate.domain.usage.TokenRates;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads LiteLLM's {@code model_prices_and_context_window.json} into a {@link PriceTable}, keeping only the models
 * ProxyGate can serve: {@code litellm_provider} {@code openai} or {@code anthropic}, {@code mode} absent, empty,
 * {@code chat} or {@code responses}, and at least one price above zero. Everything else in the file (the
 * {@code sample_spec} entry, top-level strings such as {@code last_updated}, image, audio and embedding models,
 * other providers, fields we do not bill such as {@code *_above_200k_tokens}) is skipped without complaint.
 * Numbers are read as exact decimals, never through {@code double}.
 */
public final class LiteLlmPriceLoader {
    /** Providers whose entries we keep. Azure and OpenRouter copies are left out: their names carry prefixes and
     *  their prices may differ from the first-party ones ProxyGate actually pays. */
    static final Set<String> PROVIDERS = Set.of("openai", "anthropic");
    static final Set<String> MODES = Set.of("", "chat", "responses");
    private static final String BUILT_IN = "builtin-prices.json";

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
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            JsonNode spec = entry.getValue();
            if (!spec.isObject() || !PROVIDERS.contains(spec.path("litellm_provider").asText(""))) {
                continue;
            }
            JsonNode mode = spec.get("mode");
            if (mode != null && !mode.isNull() && !MODES.contains(mode.asText())) {
                continue;
            }
            ModelPrice price = price(spec);
            if (price.isPriced()) {
                prices.put(entry.getKey(), price);
            }
        }
        return PriceTable.of(prices);
    }

    /**
     * Reads an object of {@code model -> price fields} as written by {@link #toJson(PriceTable)}: every entry is
     * taken, whatever its provider (the filter was applied when the table was first parsed).
     */
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

    /** The small table built into the jar: current OpenAI and Anthropic models, used until a fetch succeeds. */
    public static PriceTable builtIn() {
        try (InputStream in = LiteLlmPriceLoader.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN + " is missing from the jar");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PriceSourceException e) {
            throw new IllegalStateException(BUILT_IN + " is broken: " + e.getMessage(), e);
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
        });
        return root;
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    private static ModelPrice price(JsonNode spec) {
        return new ModelPrice(rates(spec, ""), rates(spec, "_priority"), rates(spec, "_flex"));
    }

    private static TokenRates rates(JsonNode spec, String suffix) {
        return new TokenRates(
                rate(spec, "input_cost_per_token" + suffix),
                rate(spec, "output_cost_per_token" + suffix),
                rate(spec, "cache_read_input_token_cost" + suffix),
                rate(spec, "cache_creation_input_token_cost" + suffix),
                rate(spec, "output_cost_per_reasoning_token" + suffix));
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
        putRate(spec, "input_cost_per_token" + suffix, rates.input());
        putRate(spec, "output_cost_per_token" + suffix, rates.output());
        putRate(spec, "cache_read_input_token_cost" + suffix, rates.cacheRead());
        putRate(spec, "cache_creation_input_token_cost" + suffix, rates.cacheCreation());
        putRate(spec, "output_cost_per_reasoning_token" + suffix, rates.reasoning());
    }

    private static void putRate(ObjectNode spec, String field, BigDecimal rate) {
        if (rate.signum() > 0) {
            spec.put(field, rate);
        }
    }
}
