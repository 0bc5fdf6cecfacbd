package io.proxygate.domain.usage;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CostCalculatorTest {
    private static final BigDecimal M = BigDecimal.valueOf(1_000_000);

    /** gpt-5's LiteLLM rates. */
    private static final ModelPrice GPT5 = new ModelPrice(
            TokenRates.of(new BigDecimal("1.25e-6"), new BigDecimal("1e-5"), new BigDecimal("1.25e-7")),
            TokenRates.of(new BigDecimal("2.5e-6"), new BigDecimal("2e-5"), new BigDecimal("2.5e-7")),
            TokenRates.of(new BigDecimal("6.25e-7"), new BigDecimal("5e-6"), new BigDecimal("6.25e-8")));

    /** claude-sonnet-4-5's LiteLLM rates. */
    private static final ModelPrice SONNET = ModelPrice.of(new TokenRates(new BigDecimal("3e-6"),
            new BigDecimal("1.5e-5"), new BigDecimal("3e-7"), new BigDecimal("3.75e-6"), BigDecimal.ZERO));

    private static BigDecimal openAi(ModelPrice price, String tier, TokenUsage tokens) {
        return CostCalculator.cost(price, PriceTier.of(Optional.ofNullable(tier)), tokens, UsageConvention.OPENAI);
    }

    @Test
    void millionInputTokensOnEachTier() {
        TokenUsage million = new TokenUsage(1_000_000, 0, 0, 0, 0);
        assertThat(openAi(GPT5, null, million)).isEqualByComparingTo("1.25");
        assertThat(openAi(GPT5, "priority", million)).isEqualByComparingTo("2.50");
        assertThat(openAi(GPT5, "flex", million)).isEqualByComparingTo("0.625");
        assertThat(openAi(GPT5, "default", million)).isEqualByComparingTo("1.25");
    }

    @Test
    void cachedTokensAreBilledAtTheCacheReadRate() {
        assertThat(openAi(GPT5, null, new TokenUsage(1_000_000, 1_000_000, 0, 0, 0))).isEqualByComparingTo("0.125");
    }

    @Test
    void mixedOpenAiRequest() {
        assertThat(openAi(GPT5, null, new TokenUsage(1_000_000, 200_000, 0, 500_000, 0)))
                .isEqualByComparingTo("6.025");
    }

    @Test
    void cachedCountAboveInputIsCappedAtInput() {
        assertThat(openAi(GPT5, null, new TokenUsage(100, 500, 0, 0, 0)))
                .isEqualByComparingTo(openAi(GPT5, null, new TokenUsage(100, 100, 0, 0, 0)));
    }

    @Test
    void reasoningTokensInsideOutputAreNotBilledTwice() {
        assertThat(openAi(GPT5, null, new TokenUsage(0, 0, 0, 1_000_000, 800_000))).isEqualByComparingTo("10");
    }

    @Test
    void reasoningRateAppliesToTheReasoningShareOfOutput() {
        ModelPrice withReasoning = ModelPrice.of(new TokenRates(BigDecimal.ZERO, new BigDecimal("1e-5"),
                BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("2e-5")));
        // 200k plain output at $10/M + 800k reasoning at $20/M
        assertThat(openAi(withReasoning, null, new TokenUsage(0, 0, 0, 1_000_000, 800_000)))
                .isEqualByComparingTo("18");
    }

    @Test
    void missingCacheReadRateFallsBackToInputRate() {
        ModelPrice noCache = ModelPrice.of(TokenRates.of(new BigDecimal("2e-6"), new BigDecimal("8e-6"),
                BigDecimal.ZERO));
        assertThat(openAi(noCache, null, new TokenUsage(1_000_000, 400_000, 0, 0, 0))).isEqualByComparingTo("2");
    }

    @Test
    void anthropicInputExcludesCacheSoReadsAndWritesAreAddedOnTop() {
        // 10k uncached in, 200k cache reads, 50k cache writes, 2k out
        TokenUsage tokens = new TokenUsage(10_000, 200_000, 50_000, 2_000, 0);
        BigDecimal expected = new BigDecimal("3e-6").multiply(BigDecimal.valueOf(10_000))
                .add(new BigDecimal("3e-7").multiply(BigDecimal.valueOf(200_000)))
                .add(new BigDecimal("3.75e-6").multiply(BigDecimal.valueOf(50_000)))
                .add(new BigDecimal("1.5e-5").multiply(BigDecimal.valueOf(2_000)));
        BigDecimal cost = CostCalculator.cost(SONNET, PriceTier.STANDARD, tokens, UsageConvention.ANTHROPIC);
        assertThat(cost).isEqualByComparingTo(expected).isEqualByComparingTo("0.3075");
    }

    @Test
    void anthropicCacheReadsAreNotCappedAtInput() {
        // cache reads are billed in full: capping them at min(cache_read, input) would bill 1 cached token here
        TokenUsage tokens = new TokenUsage(1, 1_000_000, 0, 0, 0);
        assertThat(CostCalculator.cost(SONNET, PriceTier.STANDARD, tokens, UsageConvention.ANTHROPIC))
                .isEqualByComparingTo("0.300003");
    }

    @Test
    void resultIsExactAndPlain() {
        BigDecimal cost = openAi(GPT5, null, new TokenUsage(80_000_000, 0, 0, 0, 0));
        assertThat(cost.toString()).isEqualTo("100");
        assertThat(openAi(GPT5, null, new TokenUsage(1, 0, 0, 0, 0)).toPlainString()).isEqualTo("0.00000125");
    }

    @Property
    void openAiCostNeverExceedsUncachedCost(@ForAll @LongRange(max = 10_000_000) long input,
                                            @ForAll @LongRange(max = 10_000_000) long cached,
                                            @ForAll @LongRange(max = 10_000_000) long output) {
        BigDecimal withCache = openAi(GPT5, null, new TokenUsage(input, cached, 0, output, 0));
        BigDecimal withoutCache = openAi(GPT5, null, new TokenUsage(input, 0, 0, output, 0));
        assertThat(withCache).isLessThanOrEqualTo(withoutCache);
        assertThat(withCache.signum()).isGreaterThanOrEqualTo(0);
    }

    @Property
    void anthropicCostIsLinearInEachTokenKind(@ForAll @LongRange(max = 1_000_000) long input,
                                              @ForAll @LongRange(max = 1_000_000) long read,
                                              @ForAll @LongRange(max = 1_000_000) long write,
                                              @ForAll @LongRange(max = 1_000_000) long output) {
        BigDecimal all = CostCalculator.cost(SONNET, PriceTier.STANDARD, new TokenUsage(input, read, write, output, 0),
                UsageConvention.ANTHROPIC);
        BigDecimal parts = CostCalculator.cost(SONNET, PriceTier.STANDARD, new TokenUsage(input, 0, 0, 0, 0), UsageConvention.ANTHROPIC)
                .add(CostCalculator.cost(SONNET, PriceTier.STANDARD, new TokenUsage(0, read, 0, 0, 0), UsageConvention.ANTHROPIC))
                .add(CostCalculator.cost(SONNET, PriceTier.STANDARD, new TokenUsage(0, 0, write, 0, 0), UsageConvention.ANTHROPIC))
                .add(CostCalculator.cost(SONNET, PriceTier.STANDARD, new TokenUsage(0, 0, 0, output, 0), UsageConvention.ANTHROPIC));
        assertThat(all).isEqualByComparingTo(parts);
    }
}
