package io.proxygate.adapter.out.persistence.sql;

/**
 * A {@code request_log} row as stored: times in epoch milliseconds, cost as an exact decimal string, flags as
 * 0/1; {@code clientKey} is NULL on rows older than client keys; {@code translation} is NULL unless the other API
 * family served the request. Kept apart from the application's
 * {@code RequestRecord} so the schema can evolve on its own.
 */
public record RequestLogRow(String id, long startedAt, String route, String provider, String credentialId,
                            String model, String serviceTier, int status, long inputTokens, long cachedInputTokens,
                            long cacheCreationTokens, long outputTokens, long reasoningTokens, String costUsd,
                            long latencyMs, Long ttfbMs, String errorClass, String errorText, String responseId,
                            int incomplete, String routingNote, String clientKey, String translation) {
    /** The one the database mapper uses: every column. */
    @org.jdbi.v3.core.mapper.reflect.JdbiConstructor
    public RequestLogRow {
    }

    /** A row of a request its own API family served ({@code translation} NULL). */
    public RequestLogRow(String id, long startedAt, String route, String provider, String credentialId,
                         String model, String serviceTier, int status, long inputTokens, long cachedInputTokens,
                         long cacheCreationTokens, long outputTokens, long reasoningTokens, String costUsd,
                         long latencyMs, Long ttfbMs, String errorClass, String errorText, String responseId,
                         int incomplete, String routingNote, String clientKey) {
        this(id, startedAt, route, provider, credentialId, model, serviceTier, status, inputTokens, cachedInputTokens,
                cacheCreationTokens, outputTokens, reasoningTokens, costUsd, latencyMs, ttfbMs, errorClass, errorText,
                responseId, incomplete, routingNote, clientKey, null);
    }
}
