package io.proxygate.adapter.out.persistence.sql;

/**
 * A {@code credential_state} row as stored: times in epoch milliseconds, nullable columns as boxed values, usage
 * windows flattened into columns (a window exists when its {@code *Used} column is not null).
 * {@code needsLoginChangedAt} is when the needs-login mark was last set or cleared (null: unknown).
 */
public record CredentialStateRow(String id, Long cooldownUntil, String cooldownReason, String needsLoginReason,
                                 int failureStreak, Long windowsObservedAt, int limitReached, Double fiveHourUsed,
                                 Long fiveHourResetsAt, Long fiveHourLengthS, Double weeklyUsed, Long weeklyResetsAt,
                                 Long weeklyLengthS, Long lastUsed, long updatedAt, Long needsLoginChangedAt) {
}
