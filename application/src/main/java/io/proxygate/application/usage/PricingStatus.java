package io.proxygate.application.usage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of the price table, as {@code /admin/pricing/status} reports it:
 * {@code {origin, models_count, fetched_at, url, last_attempt_at, last_success_at, last_error}}.
 *
 * @param fetchedAt     when the table in use was fetched (empty for the embedded table)
 * @param url           the configured source (URL or file path)
 * @param lastAttemptAt the last fetch attempt in this run
 * @param lastSuccessAt the last successful fetch in this run
 * @param lastError     why the last attempt failed; cleared by a success
 */
public record PricingStatus(PriceOrigin origin, int modelsCount, Optional<Instant> fetchedAt, String url,
                            Optional<Instant> lastAttemptAt, Optional<Instant> lastSuccessAt,
                            Optional<String> lastError) {
    public PricingStatus {
        Objects.requireNonNull(origin, "origin");
        fetchedAt = fetchedAt == null ? Optional.empty() : fetchedAt;
        url = url == null ? "" : url;
        lastAttemptAt = lastAttemptAt == null ? Optional.empty() : lastAttemptAt;
        lastSuccessAt = lastSuccessAt == null ? Optional.empty() : lastSuccessAt;
        lastError = lastError == null ? Optional.empty() : lastError;
    }
}
