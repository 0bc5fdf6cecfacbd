package io.proxygate.application.usage;

import io.proxygate.domain.usage.TokenUsage;

import java.math.BigDecimal;
import java.time.Duration;

/** One group of {@code /admin/stats}: a credential, a model, a day or an hour. */
public record StatsRow(String group, long requests, long errors, TokenUsage tokens, BigDecimal costUsd,
                       Duration latencyP50, Duration latencyP95, Duration ttfbP50, Duration ttfbP95) {
}
