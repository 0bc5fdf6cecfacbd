package io.proxygate.application.usage;

import io.proxygate.domain.usage.TokenUsage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One bucket of one series of a usage chart.
 *
 * @param series  the credential id, the model, or {@code all}
 * @param costUsd estimated cost of the priced requests in the bucket
 */
public record SeriesPoint(Instant bucketStart, String series, long requests, long errors, TokenUsage tokens,
                          BigDecimal costUsd) {
    public SeriesPoint {
        Objects.requireNonNull(bucketStart, "bucketStart");
        Objects.requireNonNull(series, "series");
        tokens = tokens == null ? TokenUsage.NONE : tokens;
        costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
    }
}
