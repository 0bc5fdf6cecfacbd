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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiteLlmPriceLoaderTest {
    /** The entries of testdata/litellm's snapshot with a per-token price above zero (counted with a separate script). */
    static final int PRICED_ENTRIES = 2391;

    private static PriceTable full;
    private static JsonNode raw;

    @BeforeAll
    static void parseTheRealFile() throws IOException, PriceSourceException {
        try (InputStream in = Files.newInputStream(TestData.litellm("model_prices_and_context_window.json"))) {
            full = LiteLlmPriceLoader.parse(in);
        }
        raw = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(TestData.litellm("model_prices_and_context_window.json").toFile());
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
    void keepsEveryEntryWithATokenPriceOfTheWholeFile() {
        assertThat(full.size()).isEqualTo(PRICED_ENTRIES);
        assertThat(full.entries()).containsKeys("gpt-5", "gpt-5-codex", "gpt-4o", "o3", "claude-sonnet-4-5",
                "claude-opus-4-1", "claude-haiku-4-5-20251001", "azure/gpt-5", "openrouter/openai/gpt-5",
                "gemini-2.5-pro", "text-embedding-3-small");
        // no per-token price: descriptions, a date string, per-image, per-second and per-character prices, none
        assertThat(full.entries()).doesNotContainKeys("sample_spec", "last_updated", "dall-e-3", "whisper-1",
                "tts-1", "gpt-4o-realtime-preview-2024-10-01");
        assertThat(full.entries().values()).allMatch(ModelPrice::isPriced);
    }

    @Test
    void theJarsBuiltInTableIsTheWholeSnapshot() {
        PriceTable builtIn = LiteLlmPriceLoader.builtIn();
        assertThat(builtIn.entries().keySet()).isEqualTo(full.entries().keySet());
        builtIn.entries().forEach((model, price) -> assertThat(price).as(model).isEqualTo(full.entries().get(model)));
    }

    @Test
    void pricesClaudeSonnet45AboveTwoHundredThousandPromptTokensAtItsLongPromptRates() {
        // 150,000 uncached + 40,000 read + 10,000 written = 200,000: base rates
        TokenUsage atThreshold = new TokenUsage(150_000, 40_000, 10_000, 2_000, 0);
        BigDecimal base = fileRate("claude-sonnet-4-5", "input_cost_per_token").multiply(BigDecimal.valueOf(150_000))
                .add(fileRate("claude-sonnet-4-5", "cache_read_input_token_cost").multiply(BigDecimal.valueOf(40_000)))
                .add(fileRate("claude-sonnet-4-5", "cache_creation_input_token_cost").multiply(BigDecimal.valueOf(10_000)))
                .add(fileRate("claude-sonnet-4-5", "output_cost_per_token").multiply(BigDecimal.valueOf(2_000)));
        assertThat(cost(full, "claude-sonnet-4-5", null, atThreshold, UsageConvention.ANTHROPIC))
                .isEqualByComparingTo(base).isEqualByComparingTo("0.5295");
        // one more uncached token: every token at the *_above_200k_tokens rates
        TokenUsage above = new TokenUsage(150_001, 40_000, 10_000, 2_000, 0);
        BigDecimal expected = fileRate("claude-sonnet-4-5", "input_cost_per_token_above_200k_tokens")
                .multiply(BigDecimal.valueOf(150_001))
                .add(fileRate("claude-sonnet-4-5", "cache_read_input_token_cost_above_200k_tokens")
                        .multiply(BigDecimal.valueOf(40_000)))
                .add(fileRate("claude-sonnet-4-5", "cache_creation_input_token_cost_above_200k_tokens")
                        .multiply(BigDecimal.valueOf(10_000)))
                .add(fileRate("claude-sonnet-4-5", "output_cost_per_token_above_200k_tokens")
                        .multiply(BigDecimal.valueOf(2_000)));
        assertThat(cost(full, "claude-sonnet-4-5", null, above, UsageConvention.ANTHROPIC))
                .isEqualByComparingTo(expected).isEqualByComparingTo("1.044006");
    }

    @Test
    void pricesOneHourCacheWritesAtTheFilesOneHourRate() {
        // claude-opus-4-6: 5-minute writes 6.25e-6, 1-hour writes 1e-5
        TokenUsage writes = new TokenUsage(0, 0, 100_000, 0, 0, 40_000);
        assertThat(cost(full, "claude-opus-4-6", null, writes, UsageConvention.ANTHROPIC))
                .isEqualByComparingTo(fileRate("claude-opus-4-6", "cache_creation_input_token_cost")
                        .multiply(BigDecimal.valueOf(60_000))
                        .add(fileRate("claude-opus-4-6", "cache_creation_input_token_cost_above_1hr")
                                .multiply(BigDecimal.valueOf(40_000))))
                .isEqualByComparingTo("0.775");
        // claude-sonnet-4-5 above 200k: the one-hour rate of the long-prompt tier (1.2e-5)
        TokenUsage longPrompt = new TokenUsage(195_000, 0, 10_000, 0, 0, 10_000);
        assertThat(cost(full, "claude-sonnet-4-5", null, longPrompt, UsageConvention.ANTHROPIC))
                .isEqualByComparingTo(fileRate("claude-sonnet-4-5", "input_cost_per_token_above_200k_tokens")
                        .multiply(BigDecimal.valueOf(195_000))
                        .add(fileRate("claude-sonnet-4-5", "cache_creation_input_token_cost_above_1hr_above_200k_tokens")
                                .multiply(BigDecimal.valueOf(10_000))))
                .isEqualByComparingTo("1.29");
    }

    @Test
    void pricesGpt55AboveItsLongPromptThresholdPerServiceTier() {
        TokenUsage longPrompt = new TokenUsage(300_000, 0, 0, 10_000, 0);
        // standard: 300,000 x 1e-5 + 10,000 x 4.5e-5
        assertThat(cost(full, "gpt-5.5", null, longPrompt, UsageConvention.OPENAI)).isEqualByComparingTo("3.45");
        // priority has no long-prompt rates for gpt-5.5: its priority rates, 300,000 x 1e-5 + 10,000 x 6e-5
        assertThat(cost(full, "gpt-5.5", "priority", longPrompt, UsageConvention.OPENAI)).isEqualByComparingTo("3.6");
        // Azure AI's gpt-5.4 publishes long-prompt priority rates: 300,000 x 1e-5 + 10,000 x 4.5e-5
        assertThat(full.entries().get("azure_ai/gpt-5.4").contextTiers()).hasSize(1);
        assertThat(cost(full, "azure_ai/gpt-5.4", "priority", longPrompt, UsageConvention.OPENAI))
                .isEqualByComparingTo("3.45");
        // under the threshold: base rates
        assertThat(cost(full, "gpt-5.5", null, new TokenUsage(272_000, 0, 0, 0, 0), UsageConvention.OPENAI))
                .isEqualByComparingTo("1.36");
    }

    @ParameterizedTest(name = "{0}: {1} in, {2} of them cached, {3} out cost {4}")
    @CsvSource(nullValues = "standard", textBlock = """
            standard, 1000000,       0,      0, 1.25
            priority, 1000000,       0,      0, 2.50
            flex,     1000000,       0,      0, 0.625
            standard, 1000000, 1000000,      0, 0.125
            standard, 1000000,  200000, 500000, 6.025
            """)
    void pricesGpt5OnEachServiceTier(String tier, long input, long cached, long output, String expected) {
        assertThat(cost(full, "gpt-5", tier, new TokenUsage(input, cached, 0, output, 0), UsageConvention.OPENAI))
                .isEqualByComparingTo(expected);
    }

    @Test
    void pricesClaudeSonnetCacheReadsAndWritesFromTheFilesOwnRates() {
        TokenUsage tokens = new TokenUsage(12_345, 178_901, 3_456, 7_890, 0);
        BigDecimal expected = fileRate("claude-sonnet-4-5", "input_cost_per_token").multiply(BigDecimal.valueOf(12_345))
                .add(fileRate("claude-sonnet-4-5", "cache_read_input_token_cost").multiply(BigDecimal.valueOf(178_901)))
                .add(fileRate("claude-sonnet-4-5", "cache_creation_input_token_cost").multiply(BigDecimal.valueOf(3_456)))
                .add(fileRate("claude-sonnet-4-5", "output_cost_per_token").multiply(BigDecimal.valueOf(7_890)));
        assertThat(cost(full, "claude-sonnet-4-5", null, tokens, UsageConvention.ANTHROPIC))
                .isEqualByComparingTo(expected)
                // 12345*3e-6 + 178901*3e-7 + 3456*3.75e-6 + 7890*1.5e-5 (194,702 prompt tokens: base rates)
                .isEqualByComparingTo("0.2220153");
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
        assertThat(cost(full, "anthropic/claude-sonnet-4-5", null, new TokenUsage(100_000, 0, 0, 0, 0),
                UsageConvention.ANTHROPIC)).isEqualByComparingTo("0.3");
    }

    @Test
    void modelsWithoutATokenPriceAreUnpriced() {
        assertThat(full.lookup("dall-e-3")).isEmpty();
        assertThat(full.lookup("whisper-1")).isEmpty();
        assertThat(full.lookup("gpt-99-imaginary")).isEmpty();
        assertThat(full.lookup("unknown")).isEmpty();
        assertThat(full.lookup("gemini-2.5-pro")).isPresent();
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
        assertThat(table.entries()).containsOnlyKeys("m-tiered", "m-text-price", "m-no-mode", "m-image", "m-other");
        assertThat(table.entries().get("m-tiered").standard())
                .isEqualTo(new TokenRates(new BigDecimal("3e-06"), new BigDecimal("15"), BigDecimal.ZERO,
                        BigDecimal.ZERO, BigDecimal.ZERO));
        assertThat(table.entries().get("m-tiered").contextTiers()).singleElement().satisfies(t -> {
            assertThat(t.aboveTokens()).isEqualTo(200_000);
            assertThat(t.standard().input()).isEqualByComparingTo("6e-06");
            assertThat(t.standard().output()).isZero();
        });
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

    private static void assertSameRates(String model, ModelPrice actual, ModelPrice expected) {
        for (PriceTier tier : PriceTier.values()) {
            TokenRates a = actual.ratesFor(tier);
            TokenRates x = expected.ratesFor(tier);
            assertThat(a.input()).as(model + " " + tier + " input").isEqualByComparingTo(x.input());
            assertThat(a.output()).as(model + " " + tier + " output").isEqualByComparingTo(x.output());
            assertThat(a.cacheRead()).as(model + " " + tier + " cacheRead").isEqualByComparingTo(x.cacheRead());
            assertThat(a.cacheCreation()).as(model + " " + tier + " cacheCreation")
                    .isEqualByComparingTo(x.cacheCreation());
            assertThat(a.cacheCreation1h()).as(model + " " + tier + " cacheCreation1h")
                    .isEqualByComparingTo(x.cacheCreation1h());
            for (long prompt : new long[] {128_001, 200_001, 272_001, 1_000_000}) {
                TokenRates al = actual.ratesFor(tier, prompt);
                TokenRates xl = expected.ratesFor(tier, prompt);
                assertThat(al.input()).as(model + " " + tier + " input above " + prompt).isEqualByComparingTo(xl.input());
                assertThat(al.cacheCreation1h()).as(model + " " + tier + " 1h above " + prompt)
                        .isEqualByComparingTo(xl.cacheCreation1h());
            }
        }
    }

    @Test
    void writtenEntriesReadBackUnchanged() throws PriceSourceException {
        PriceTable builtIn = full;
        PriceTable again = LiteLlmPriceLoader.parseEntries(LiteLlmPriceLoader.toJson(builtIn));
        assertThat(again.entries().keySet()).isEqualTo(builtIn.entries().keySet());
        builtIn.entries().forEach((model, price) -> assertSameRates(model, again.entries().get(model), price));
    }
}
