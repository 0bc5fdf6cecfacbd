package io.proxygate.application.usage;

import io.proxygate.domain.usage.TokenUsage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One usage aggregate as the admin API reports it: {@code {date, requests, input_tokens, cached_tokens?,
 * output_tokens, total_tokens, total_cost, errors, unpriced?}}, plus {@code model?} and {@code service_tier?} in
 * per-model rows.
 */
public record UsageSummary(LocalDate date, long requests, long errors, long unpriced, TokenUsage tokens,
                           BigDecimal cost, Optional<String> model, Optional<String> serviceTier) {
    public UsageSummary {
        Objects.requireNonNull(date, "date");
        tokens = tokens == null ? TokenUsage.NONE : tokens;
        cost = cost == null ? BigDecimal.ZERO : cost;
        model = model == null ? Optional.empty() : model;
        serviceTier = serviceTier == null ? Optional.empty() : serviceTier;
    }

    public static UsageSummary empty(LocalDate date) {
        return new UsageSummary(date, 0, 0, 0, TokenUsage.NONE, BigDecimal.ZERO, Optional.empty(), Optional.empty());
    }

    /** The sum of two summaries of the same day (model and tier are dropped). */
    public UsageSummary plus(UsageSummary other) {
        return new UsageSummary(date, requests + other.requests, errors + other.errors, unpriced + other.unpriced,
                tokens.plus(other.tokens), cost.add(other.cost), Optional.empty(), Optional.empty());
    }
}
