package io.proxygate.adapter.out.persistence.sql;

/**
 * A {@code request_log} row as stored: times in epoch milliseconds, cost as an exact decimal string, flags as
 * 0/1; {@code clientKey} is NULL on rows older than client keys. Kept apart from the application's
 * {@code RequestRecord} so the schema can evolve on its own.
 */
public record RequestLogRow(String id, long startedAt, String route, String provider, String credentialId,
                            String model, String serviceTier, int status, long inputTokens, long cachedInputTokens,
                            long cacheCreationTokens, long outputTokens, long reasoningTokens, String costUsd,
                            long latencyMs, Long ttfbMs, String errorClass, String errorText, String responseId,
                            int incomplete, String routingNote, String clientKey) {
}
