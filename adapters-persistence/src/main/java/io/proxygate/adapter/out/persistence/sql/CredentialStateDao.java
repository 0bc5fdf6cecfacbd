package io.proxygate.adapter.out.persistence.sql;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

/**
 * SQL for the {@code credential_state} table (the same on SQLite and PostgreSQL).
 *
 * <p>Several instances may save the same credential's row, each from its own view. The upsert therefore merges
 * instead of overwriting: a cooldown only grows (an instance that has not heard of another's 429 cannot erase it),
 * usage windows keep the newest observation, and the needs-login mark keeps the newest change (set or cleared).
 * A NULL on either side never wins a comparison, so a row or save that knows nothing keeps what the other knows.
 */
@RegisterConstructorMapper(CredentialStateRow.class)
public interface CredentialStateDao {
    @SqlUpdate("""
            INSERT INTO credential_state (id, cooldown_until, cooldown_reason, needs_login_reason, failure_streak,
                                          windows_observed_at, limit_reached, five_hour_used, five_hour_resets_at,
                                          five_hour_length_s, weekly_used, weekly_resets_at, weekly_length_s,
                                          last_used, updated_at, needs_login_changed_at)
            VALUES (:id, :cooldownUntil, :cooldownReason, :needsLoginReason, :failureStreak,
                    :windowsObservedAt, :limitReached, :fiveHourUsed, :fiveHourResetsAt,
                    :fiveHourLengthS, :weeklyUsed, :weeklyResetsAt, :weeklyLengthS,
                    :lastUsed, :updatedAt, :needsLoginChangedAt)
            ON CONFLICT (id) DO UPDATE SET
                cooldown_until = CASE WHEN credential_state.cooldown_until IS NULL
                                        OR excluded.cooldown_until >= credential_state.cooldown_until
                                      THEN excluded.cooldown_until ELSE credential_state.cooldown_until END,
                cooldown_reason = CASE WHEN credential_state.cooldown_until IS NULL
                                         OR excluded.cooldown_until >= credential_state.cooldown_until
                                       THEN excluded.cooldown_reason ELSE credential_state.cooldown_reason END,
                needs_login_reason = CASE WHEN credential_state.needs_login_changed_at IS NULL
                                            OR excluded.needs_login_changed_at >= credential_state.needs_login_changed_at
                                          THEN excluded.needs_login_reason
                                          ELSE credential_state.needs_login_reason END,
                needs_login_changed_at = CASE WHEN credential_state.needs_login_changed_at IS NULL
                                                OR excluded.needs_login_changed_at
                                                   >= credential_state.needs_login_changed_at
                                              THEN excluded.needs_login_changed_at
                                              ELSE credential_state.needs_login_changed_at END,
                failure_streak = excluded.failure_streak,
                windows_observed_at = CASE WHEN credential_state.windows_observed_at IS NULL
                                             OR excluded.windows_observed_at >= credential_state.windows_observed_at
                                           THEN excluded.windows_observed_at
                                           ELSE credential_state.windows_observed_at END,
                limit_reached = CASE WHEN credential_state.windows_observed_at IS NULL
                                       OR excluded.windows_observed_at >= credential_state.windows_observed_at
                                     THEN excluded.limit_reached ELSE credential_state.limit_reached END,
                five_hour_used = CASE WHEN credential_state.windows_observed_at IS NULL
                                        OR excluded.windows_observed_at >= credential_state.windows_observed_at
                                      THEN excluded.five_hour_used ELSE credential_state.five_hour_used END,
                five_hour_resets_at = CASE WHEN credential_state.windows_observed_at IS NULL
                                             OR excluded.windows_observed_at >= credential_state.windows_observed_at
                                           THEN excluded.five_hour_resets_at
                                           ELSE credential_state.five_hour_resets_at END,
                five_hour_length_s = CASE WHEN credential_state.windows_observed_at IS NULL
                                            OR excluded.windows_observed_at >= credential_state.windows_observed_at
                                          THEN excluded.five_hour_length_s
                                          ELSE credential_state.five_hour_length_s END,
                weekly_used = CASE WHEN credential_state.windows_observed_at IS NULL
                                     OR excluded.windows_observed_at >= credential_state.windows_observed_at
                                   THEN excluded.weekly_used ELSE credential_state.weekly_used END,
                weekly_resets_at = CASE WHEN credential_state.windows_observed_at IS NULL
                                          OR excluded.windows_observed_at >= credential_state.windows_observed_at
                                        THEN excluded.weekly_resets_at ELSE credential_state.weekly_resets_at END,
                weekly_length_s = CASE WHEN credential_state.windows_observed_at IS NULL
                                         OR excluded.windows_observed_at >= credential_state.windows_observed_at
                                       THEN excluded.weekly_length_s ELSE credential_state.weekly_length_s END,
                last_used = excluded.last_used,
                updated_at = excluded.updated_at
            """)
    void upsert(@BindMethods CredentialStateRow row);

    @SqlQuery("""
            SELECT id, cooldown_until, cooldown_reason, needs_login_reason, failure_streak, windows_observed_at,
                   limit_reached, five_hour_used, five_hour_resets_at, five_hour_length_s, weekly_used,
                   weekly_resets_at, weekly_length_s, last_used, updated_at, needs_login_changed_at
            FROM credential_state
            ORDER BY id
            """)
    List<CredentialStateRow> loadAll();
}
