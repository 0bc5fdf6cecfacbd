package io.proxygate.adapter.out.upstream.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import io.proxygate.application.port.out.PriceSourceException;
import io.proxygate.domain.usage.CostCalculator;
import io.proxygate.domain.usage.ModelPrice;
import io.proxygate.domain.usage.PriceTable;
import io.proxygate.domain.usage.PriceTier;
import io.proxygate.domain.usage.TokenRates;
import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.domain.usage.UsageConvention;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiteLlmPriceLoaderTest {
    private static PriceTable full;
    private static JsonNode raw;

    @BeforeAll
    static void parseTheRealFile() throws IOException, PriceSourceException {
        try (InputStream in = Files.newInputStream(SharedData.file("model_prices_and_context_window.json"))) {
            full = LiteLlmPriceLoader.parse(in);
        }
        raw = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(SharedData.file("model_prices_and_context_window.json").toFile());
    }

    private static BigDecimal fileRate(String model, String field) {
        return raw.get(model).get(field).decimalValue();
    }

    private static BigDecimal cost(PriceTable table, String model, String tier, TokenUsage tokens,
                                   UsageConvention convention) {
        ModelPrice price = table.lookup(model).orElseThrow(() -> new AssertionError(model + " not priced"));
        return CostCalculator.cost(price, PriceTier.of(java.util.Optional.ofNullable(tier)), tokens, convention);
    }

    @Test
    void keepsOnlyPricedOpenAiAndAnthropicChatModelsOfTheWholeFile() {
        // 136 = the entries a separate script counted in the July 2026 copy with the same filter
        assertThat(full.size()).isEqualTo(136);
        assertThat(full.entries()).containsKeys("gpt-5", "gpt-5-codex", "gpt-4o", "o3", "claude-sonnet-4-5",
                "claude-opus-4-1", "claude-haiku-4-5-20251001");
        assertThat(full.entries()).doesNotContainKeys("sample_spec", "last_updated", "dall-e-3",
                "text-embedding-3-small", "whisper-1", "tts-1", "azure/gpt-5", "openrouter/openai/gpt-5",
                "gemini-2.5-pro", "gpt-4o-realtime-preview-2024-10-01");
        assertThat(full.entries().values()).allMatch(ModelPrice::isPriced);
    }

    @Test
    void pricesGpt5OnEachServiceTier() {
        TokenUsage million = new TokenUsage(1_000_000, 0, 0, 0, 0);
        assertThat(cost(full, "gpt-5", null, million, UsageConvention.OPENAI)).isEqualByComparingTo("1.25");
        assertThat(cost(full, "gpt-5", "priority", million, UsageConvention.OPENAI)).isEqualByComparingTo("2.50");
        assertThat(cost(full, "gpt-5", "flex", million, UsageConvention.OPENAI)).isEqualByComparingTo("0.625");
        assertThat(cost(full, "gpt-5", null, new TokenUsage(1_000_000, 1_000_000, 0, 0, 0), UsageConvention.OPENAI))
                .isEqualByComparingTo("0.125");
        assertThat(cost(full, "gpt-5", null, new TokenUsage(1_000_000, 200_000, 0, 500_000, 0),
                UsageConvention.OPENAI)).isEqualByComparingTo("6.025");
    }

    @Test
    void pricesClaudeSonnetCacheReadsAndWritesFromTheFilesOwnRates() {
        TokenUsage tokens = new TokenUsage(12_345, 678_901, 23_456, 7_890, 0);
        BigDecimal expected = fileRate("claude-sonnet-4-5", "input_cost_per_token").multiply(BigDecimal.valueOf(12_345))
                .add(fileRate("claude-sonnet-4-5", "cache_read_input_token_cost").multiply(BigDecimal.valueOf(678_901)))
                .add(fileRate("claude-sonnet-4-5", "cache_creation_input_token_cost").multiply(BigDecimal.valueOf(23_456)))
                .add(fileRate("claude-sonnet-4-5", "output_cost_per_token").multiply(BigDecimal.valueOf(7_890)));
        assertThat(cost(full, "claude-sonnet-4-5", null, tokens, UsageConvention.ANTHROPIC))
                .isEqualByComparingTo(expected)
                // 12345*3e-6 + 678901*3e-7 + 23456*3.75e-6 + 7890*1.5e-5
                .isEqualByComparingTo("0.4470153");
    }

    @Test
    void pricesDatedClaudeIds() {
        TokenUsage million = new TokenUsage(1_000_000, 0, 0, 1_000_000, 0);
        assertThat(cost(full, "claude-haiku-4-5-20251001", null, million, UsageConvention.ANTHROPIC))
                .isEqualByComparingTo("6");
        // a snapshot LiteLLM does not list falls back to its undated model
        assertThat(cost(full, "claude-sonnet-4-6-20260301", null, million, UsageConvention.ANTHROPIC))
                .isEqualByComparingTo("18");
    }

    @Test
    void pricesProviderPrefixedNamesAtTheFirstPartyRate() {
        TokenUsage million = new TokenUsage(1_000_000, 0, 0, 0, 0);
        assertThat(cost(full, "openai/gpt-5", null, million, UsageConvention.OPENAI)).isEqualByComparingTo("1.25");
        assertThat(cost(full, "openrouter/openai/gpt-5", null, million, UsageConvention.OPENAI))
                .isEqualByComparingTo("1.25");
        assertThat(cost(full, "anthropic/claude-sonnet-4-5", null, million, UsageConvention.ANTHROPIC))
                .isEqualByComparingTo("3");
    }

    @Test
    void modelsOutsideTheKeptSetAreUnpriced() {
        assertThat(full.lookup("dall-e-3")).isEmpty();
        assertThat(full.lookup("text-embedding-3-small")).isEmpty();
        assertThat(full.lookup("gemini-2.5-pro")).isEmpty();
        assertThat(full.lookup("gpt-99-imaginary")).isEmpty();
        assertThat(full.lookup("unknown")).isEmpty();
    }

    @Test
    void toleratesTheFilesQuirks() throws PriceSourceException {
        String json = """
                {
                  "last_updated": "2026-07-24T18:23:43Z",
                  "sample_spec": {"litellm_provider": "one of https://docs.litellm.ai/docs/providers",
                                  "mode": "one of: chat, embedding", "input_cost_per_token": 0.0,
                                  "max_tokens": "LEGACY parameter"},
                  "m-tiered": {"litellm_provider": "anthropic", "mode": "chat", "input_cost_per_token": 3e-06,
                               "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token": 15,
                               "search_context_cost_per_query": {"search_context_size_low": 0.01}},
                  "m-text-price": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": "cheap",
                                   "output_cost_per_token": 2e-06, "cache_read_input_token_cost": -1},
                  "m-no-mode": {"litellm_provider": "openai", "input_cost_per_token": 1e-06},
                  "m-image": {"litellm_provider": "openai", "mode": "image_generation", "input_cost_per_token": 1e-05},
                  "m-zero": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 0},
                  "m-other": {"litellm_provider": "gemini", "mode": "chat", "input_cost_per_token": 1e-06},
                  "m-list": [1, 2, 3]
                }
                """;
        PriceTable table = LiteLlmPriceLoader.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(table.entries()).containsOnlyKeys("m-tiered", "m-text-price", "m-no-mode");
        assertThat(table.entries().get("m-tiered").standard())
                .isEqualTo(new TokenRates(new BigDecimal("3e-06"), new BigDecimal("15"), BigDecimal.ZERO,
                        BigDecimal.ZERO, BigDecimal.ZERO));
        TokenRates textPrice = table.entries().get("m-text-price").standard();
        assertThat(textPrice.input()).isZero();
        assertThat(textPrice.cacheRead()).isZero();
        assertThat(textPrice.output()).isEqualByComparingTo("0.000002");
    }

    @Test
    void rejectsWhatIsNotAPriceTable() {
        assertThatThrownBy(() -> LiteLlmPriceLoader.parse("<html>rate limited</html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PriceSourceException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> LiteLlmPriceLoader.parse("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PriceSourceException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void builtInTableIsSmallCurrentAndMatchesLiteLlmRates() throws IOException, PriceSourceException {
        PriceTable builtIn = LiteLlmPriceLoader.builtIn();
        assertThat(builtIn.size()).isBetween(30, 60);
        assertThat(builtIn.entries()).containsKeys("gpt-5", "gpt-5-mini", "gpt-5-codex", "gpt-5.1", "gpt-5.1-codex",
                "gpt-5.2-codex", "gpt-5.4", "gpt-5.5", "gpt-4.1", "gpt-4o", "o3", "o4-mini", "claude-opus-4-1",
                "claude-opus-4-7", "claude-sonnet-4-5", "claude-sonnet-4-6", "claude-haiku-4-5");
        PriceTable reference;
        try (InputStream in = Files.newInputStream(SharedData.file("model_prices_openai_anthropic.json"))) {
            reference = LiteLlmPriceLoader.parse(in);
        }
        for (Map.Entry<String, ModelPrice> e : builtIn.entries().entrySet()) {
            ModelPrice expected = reference.entries().get(e.getKey());
            assertThat(expected).as(e.getKey()).isNotNull();
            assertSameRates(e.getKey(), e.getValue(), expected);
        }
        // the dated Haiku id is not in the built-in table itself: it is found through its undated model
        assertThat(builtIn.entries()).doesNotContainKey("claude-haiku-4-5-20251001");
        assertThat(builtIn.lookup("claude-haiku-4-5-20251001")).contains(builtIn.entries().get("claude-haiku-4-5"));
    }

    private static void assertSameRates(String model, ModelPrice actual, ModelPrice expected) {
        for (PriceTier tier : PriceTier.values()) {
            TokenRates a = actual.ratesFor(tier);
            TokenRates x = expected.ratesFor(tier);
            assertThat(a.input()).as(model + " " + tier + " input").isEqualByComparingTo(x.input());
            assertThat(a.output()).as(model + " " + tier + " output").isEqualByComparingTo(x.output());
            assertThat(a.cacheRead()).as(model + " " + tier + " cacheRead").isEqualByComparingTo(x.cacheRead());
            assertThat(a.cacheCreation()).as(model + " " + tier + " cacheCreation")
                    .isEqualByComparingTo(x.cacheCreation());
        }
    }

    @Test
    void writtenEntriesReadBackUnchanged() throws PriceSourceException {
        PriceTable builtIn = LiteLlmPriceLoader.builtIn();
        PriceTable again = LiteLlmPriceLoader.parseEntries(LiteLlmPriceLoader.toJson(builtIn));
        assertThat(again.entries().keySet()).isEqualTo(builtIn.entries().keySet());
        builtIn.entries().forEach((model, price) -> assertSameRates(model, again.entries().get(model), price));
    }
}
