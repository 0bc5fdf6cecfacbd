package io.proxygate.domain.usage;

import java.math.BigDecimal;

/**
 * Turns token counts into US dollars, exactly (no rounding). The arithmetic depends on the API's
 * {@link UsageConvention}:
 * <ul>
 *   <li>OpenAI: {@code cached = min(cached, input)};
 *       {@code cost = (input - cached) * in + cached * cacheRead + output * out}. Reasoning tokens are part of the
 *       output tokens and are billed once (at the reasoning rate only when the model has one).</li>
 *   <li>Anthropic: input excludes the cache, so
 *       {@code cost = input * in + cacheRead * read + write5m * write + write1h * write1h + output * out}, where
 *       {@code write1h} is the part of the cache writes that went to the one-hour cache.</li>
 * </ul>
 * A request whose prompt is longer than one of the model's long-prompt thresholds pays that tier's rates for all
 * of its tokens ({@link ModelPrice#ratesFor(PriceTier, long)}). A missing cache-read or cache-write rate falls back
 * to the input rate, a missing one-hour write rate to the five-minute one (never bill cached tokens as free).
 */
public final class CostCalculator {
    private CostCalculator() {
    }

    /** One request's cost: long-prompt tiers apply when its prompt crosses their threshold. */
    public static BigDecimal cost(ModelPrice price, PriceTier tier, TokenUsage tokens, UsageConvention convention) {
        return cost(price.ratesFor(tier, tokens.promptTokens(convention)), tokens, convention);
    }

    /**
     * The cost of token totals summed over many requests, at the base rates: a sum says nothing about each
     * request's prompt length, so the long-prompt tiers cannot be told apart.
     */
    public static BigDecimal costOfTotals(ModelPrice price, PriceTier tier, TokenUsage totals,
                                          UsageConvention convention) {
        return cost(price.ratesFor(tier), totals, convention);
    }

    private static BigDecimal cost(TokenRates rates, TokenUsage tokens, UsageConvention convention) {
        BigDecimal cacheReadRate = orInput(rates.cacheRead(), rates);
        BigDecimal total = switch (convention) {
            case OPENAI -> {
                long cached = Math.min(tokens.cachedInputTokens(), tokens.inputTokens());
                yield times(tokens.inputTokens() - cached, rates.input())
                        .add(times(cached, cacheReadRate))
                        .add(outputCost(tokens, rates));
            }
            case ANTHROPIC -> {
                BigDecimal writeRate = orInput(rates.cacheCreation(), rates);
                BigDecimal write1hRate = rates.cacheCreation1h().signum() > 0 ? rates.cacheCreation1h() : writeRate;
                long writes1h = Math.min(tokens.cacheCreation1hTokens(), tokens.cacheCreationTokens());
                yield times(tokens.inputTokens(), rates.input())
                        .add(times(tokens.cachedInputTokens(), cacheReadRate))
                        .add(times(tokens.cacheCreationTokens() - writes1h, writeRate))
                        .add(times(writes1h, write1hRate))
                        .add(times(tokens.outputTokens(), rates.output()));
            }
        };
        return normalise(total);
    }

    private static BigDecimal outputCost(TokenUsage tokens, TokenRates rates) {
        if (rates.reasoning().signum() == 0) {
            return times(tokens.outputTokens(), rates.output());
        }
        long reasoning = Math.min(tokens.reasoningTokens(), tokens.outputTokens());
        return times(tokens.outputTokens() - reasoning, rates.output()).add(times(reasoning, rates.reasoning()));
    }

    private static BigDecimal orInput(BigDecimal rate, TokenRates rates) {
        return rate.signum() > 0 ? rate : rates.input();
    }

    private static BigDecimal times(long count, BigDecimal rate) {
        return rate.multiply(BigDecimal.valueOf(count));
    }

    /** Drops trailing zeros but never to a negative scale, so {@code toString()} stays plain ("100", not "1E+2"). */
    private static BigDecimal normalise(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
