package io.proxygate.domain.usage;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * USD per token for each kind of token. Zero means "not given"; the cost calculator then falls back to a related
 * rate (the input rate for cache reads and writes, the cache-write rate for one-hour cache writes, the output rate
 * for reasoning).
 *
 * @param cacheCreation   a cache write kept five minutes (Anthropic's default)
 * @param cacheCreation1h a cache write kept one hour ({@code cache_control.ttl = "1h"}), dearer
 */
public record TokenRates(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheCreation,
                         BigDecimal reasoning, BigDecimal cacheCreation1h) {
    public static final TokenRates NONE = new TokenRates(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
            BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    public TokenRates {
        input = nonNegative(input, "input");
        output = nonNegative(output, "output");
        cacheRead = nonNegative(cacheRead, "cacheRead");
        cacheCreation = nonNegative(cacheCreation, "cacheCreation");
        reasoning = nonNegative(reasoning, "reasoning");
        cacheCreation1h = nonNegative(cacheCreation1h, "cacheCreation1h");
    }

    /** Rates without a separate one-hour cache-write rate. */
    public TokenRates(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheCreation,
                      BigDecimal reasoning) {
        this(input, output, cacheRead, cacheCreation, reasoning, BigDecimal.ZERO);
    }

    /** Rates for input, output and cache reads only (the usual OpenAI shape). */
    public static TokenRates of(BigDecimal input, BigDecimal output, BigDecimal cacheRead) {
        return new TokenRates(input, output, cacheRead, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /** True when no rate is set. */
    public boolean isEmpty() {
        return input.signum() == 0 && output.signum() == 0 && cacheRead.signum() == 0 && cacheCreation.signum() == 0
                && reasoning.signum() == 0 && cacheCreation1h.signum() == 0;
    }

    /** Each rate of this set when it is set (> 0), else {@code base}'s: how tier prices overlay the base prices. */
    public TokenRates over(TokenRates base) {
        return new TokenRates(pick(input, base.input), pick(output, base.output), pick(cacheRead, base.cacheRead),
                pick(cacheCreation, base.cacheCreation), pick(reasoning, base.reasoning),
                pick(cacheCreation1h, base.cacheCreation1h));
    }

    private static BigDecimal pick(BigDecimal tier, BigDecimal base) {
        return tier.signum() > 0 ? tier : base;
    }

    private static BigDecimal nonNegative(BigDecimal rate, String name) {
        Objects.requireNonNull(rate, name);
        if (rate.signum() < 0) {
            throw new IllegalArgumentException(name + " rate must not be negative");
        }
        return rate;
    }
}
