package io.proxygate.domain.usage;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Long-prompt tiers and one-hour cache writes (the rates are claude-sonnet-4-5's and gpt-5.4's on LiteLLM). */
class LongPromptAndOneHourCacheTest {
    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static final ModelPrice SONNET = new ModelPrice(
            new TokenRates(d("3e-6"), d("1.5e-5"), d("3e-7"), d("3.75e-6"), BigDecimal.ZERO, d("6e-6")),
            TokenRates.NONE, TokenRates.NONE,
            List.of(new ContextTier(200_000,
                    new TokenRates(d("6e-6"), d("2.25e-5"), d("6e-7"), d("7.5e-6"), BigDecimal.ZERO, d("1.2e-5")),
                    TokenRates.NONE)));

    private static final ModelPrice GPT54 = new ModelPrice(
            TokenRates.of(d("2.5e-6"), d("1.5e-5"), d("2.5e-7")),
            TokenRates.of(d("5e-6"), d("3e-5"), d("5e-7")),
            TokenRates.of(d("1.25e-6"), d("7.5e-6"), d("1.3e-7")),
            List.of(new ContextTier(272_000, TokenRates.of(d("5e-6"), d("2.25e-5"), d("5e-7")),
                    TokenRates.of(d("1e-5"), d("4.5e-5"), d("1e-6")))));

    private static BigDecimal sonnet(TokenUsage t) {
        return CostCalculator.cost(SONNET, PriceTier.STANDARD, t, UsageConvention.ANTHROPIC);
    }

    @Test
    void aPromptAtTheThresholdPaysBaseRatesOneTokenMorePaysTheLongPromptRatesForEverything() {
        assertThat(sonnet(new TokenUsage(200_000, 0, 0, 1_000, 0))).isEqualByComparingTo("0.615"); // 0.6 + 0.015
        assertThat(sonnet(new TokenUsage(200_001, 0, 0, 1_000, 0))).isEqualByComparingTo("1.222506"); // 1.200006 + 0.0225
    }

    @Test
    void anthropicCacheReadsAndWritesCountTowardsThePromptLength() {
        // 1,000 uncached + 150,000 read + 60,000 written = 211,000 prompt tokens: long-prompt rates
        TokenUsage t = new TokenUsage(1_000, 150_000, 60_000, 0, 0);
        assertThat(sonnet(t)).isEqualByComparingTo(
                d("6e-6").multiply(d("1000")).add(d("6e-7").multiply(d("150000"))).add(d("7.5e-6").multiply(d("60000"))));
        assertThat(CostCalculator.costOfTotals(SONNET, PriceTier.STANDARD, t, UsageConvention.ANTHROPIC))
                .isEqualByComparingTo(d("3e-6").multiply(d("1000")).add(d("3e-7").multiply(d("150000")))
                        .add(d("3.75e-6").multiply(d("60000"))));
    }

    @Test
    void oneHourCacheWritesPayTheirOwnRateBelowAndAboveTheThreshold() {
        // 10,000 written, 4,000 of them to the one-hour cache: 6,000 x 3.75e-6 + 4,000 x 6e-6
        assertThat(sonnet(new TokenUsage(0, 0, 10_000, 0, 0, 4_000))).isEqualByComparingTo("0.0465");
        // above 200k: 6,000 x 7.5e-6 + 4,000 x 1.2e-5 + 200,000 x 6e-6
        assertThat(sonnet(new TokenUsage(200_000, 0, 10_000, 0, 0, 4_000))).isEqualByComparingTo("1.293");
        // a one-hour count above the write count is capped at it
        assertThat(sonnet(new TokenUsage(0, 0, 10_000, 0, 0, 99_999))).isEqualByComparingTo("0.06");
    }

    @Test
    void withoutAOneHourRateOneHourWritesPayTheFiveMinuteRate() {
        ModelPrice noHourRate = ModelPrice.of(new TokenRates(d("3e-6"), d("1.5e-5"), d("3e-7"), d("3.75e-6"),
                BigDecimal.ZERO));
        assertThat(CostCalculator.cost(noHourRate, PriceTier.STANDARD, new TokenUsage(0, 0, 10_000, 0, 0, 4_000),
                UsageConvention.ANTHROPIC)).isEqualByComparingTo("0.0375");
    }

    @Test
    void openAiLongPromptTiersPerServiceTier() {
        TokenUsage longPrompt = new TokenUsage(300_000, 0, 0, 0, 0);
        assertThat(CostCalculator.cost(GPT54, PriceTier.STANDARD, longPrompt, UsageConvention.OPENAI))
                .isEqualByComparingTo("1.5"); // 300,000 x 5e-6
        assertThat(CostCalculator.cost(GPT54, PriceTier.PRIORITY, longPrompt, UsageConvention.OPENAI))
                .isEqualByComparingTo("3"); // 300,000 x 1e-5
        assertThat(CostCalculator.cost(GPT54, PriceTier.FLEX, longPrompt, UsageConvention.OPENAI))
                .isEqualByComparingTo("0.375"); // flex has no long-prompt rates: 300,000 x 1.25e-6
        // OpenAI's input already includes the cached tokens: 272,000 in all is not above 272k
        assertThat(CostCalculator.cost(GPT54, PriceTier.STANDARD, new TokenUsage(272_000, 100_000, 0, 0, 0),
                UsageConvention.OPENAI)).isEqualByComparingTo("0.455"); // 172,000 x 2.5e-6 + 100,000 x 2.5e-7
    }
}
