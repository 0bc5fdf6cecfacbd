package io.proxygate.application.usage;

import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.usage.TokenUsage;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One proxied request, as written to the request log.
 *
 * @param provider    {@code chatgpt-pool}, {@code openai-key}, {@code claude-pool}, {@code anthropic-key},
 *                    {@code vertex-ai}, or {@code none} when nothing served it
 * @param costUsd     estimated cost, empty when the model is unpriced
 * @param incomplete  true when the stream ended before its final usage event
 * @param routingNote which credential was picked, its score, and why higher-ranked ones were skipped
 * @param clientKey   who asked: a client key's id, {@code owner} for the proxy token, {@code open} with no auth
 * @param translation when the other API family served it: "translated messages → responses, claude-sonnet-4-5 →
 *                    gpt-5-codex, because …"
 */
public record RequestRecord(String requestId, Instant startedAt, String route, String provider,
                            Optional<CredentialId> credential, String model, Optional<String> serviceTier, int status,
                            TokenUsage tokens, Optional<BigDecimal> costUsd, Duration latency,
                            Optional<Duration> timeToFirstByte, Optional<String> errorClass,
                            Optional<String> errorText, Optional<String> responseId, boolean incomplete,
                            String routingNote, String clientKey, Optional<String> translation) {
    public RequestRecord {
        translation = translation == null ? Optional.empty() : translation.filter(t -> !t.isBlank());
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(startedAt, "startedAt");
        credential = credential == null ? Optional.empty() : credential;
        serviceTier = serviceTier == null ? Optional.empty() : serviceTier;
        tokens = tokens == null ? TokenUsage.NONE : tokens;
        costUsd = costUsd == null ? Optional.empty() : costUsd;
        timeToFirstByte = timeToFirstByte == null ? Optional.empty() : timeToFirstByte;
        errorClass = errorClass == null ? Optional.empty() : errorClass;
        errorText = errorText.map(t -> t.length() > 200 ? t.substring(0, 200) : t);
        responseId = responseId == null ? Optional.empty() : responseId;
        routingNote = routingNote == null ? "" : routingNote;
        clientKey = clientKey == null || clientKey.isBlank() ? "open" : clientKey;
    }

    /** A row of a request served by its own API family. */
    public RequestRecord(String requestId, Instant startedAt, String route, String provider,
                         Optional<CredentialId> credential, String model, Optional<String> serviceTier, int status,
                         TokenUsage tokens, Optional<BigDecimal> costUsd, Duration latency,
                         Optional<Duration> timeToFirstByte, Optional<String> errorClass,
                         Optional<String> errorText, Optional<String> responseId, boolean incomplete,
                         String routingNote, String clientKey) {
        this(requestId, startedAt, route, provider, credential, model, serviceTier, status, tokens, costUsd, latency,
                timeToFirstByte, errorClass, errorText, responseId, incomplete, routingNote, clientKey,
                Optional.empty());
    }

    /** A row of a request that presented no credentials (as before client keys existed). */
    public RequestRecord(String requestId, Instant startedAt, String route, String provider,
                         Optional<CredentialId> credential, String model, Optional<String> serviceTier, int status,
                         TokenUsage tokens, Optional<BigDecimal> costUsd, Duration latency,
                         Optional<Duration> timeToFirstByte, Optional<String> errorClass,
                         Optional<String> errorText, Optional<String> responseId, boolean incomplete,
                         String routingNote) {
        this(requestId, startedAt, route, provider, credential, model, serviceTier, status, tokens, costUsd, latency,
                timeToFirstByte, errorClass, errorText, responseId, incomplete, routingNote, null);
    }

    public boolean success() {
        return status >= 200 && status < 300 && errorClass.isEmpty();
    }
}
