package io.proxygate.adapter.out.persistence.sql;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

/** SQL for the {@code credential_state} table. */
@RegisterConstructorMapper(CredentialStateRow.class)
public interface CredentialStateDao {
    @SqlUpdate("""
            INSERT INTO credential_state (id, cooldown_until, cooldown_reason, needs_login_reason, failure_streak,
                                          windows_observed_at, limit_reached, five_hour_used, five_hour_resets_at,
                                          five_hour_length_s, weekly_used, weekly_resets_at, weekly_length_s,
                                          last_used, updated_at)
            VALUES (:id, :cooldownUntil, :cooldownReason, :needsLoginReason, :failureStreak,
                    :windowsObservedAt, :limitReached, :fiveHourUsed, :fiveHourResetsAt,
                    :fiveHourLengthS, :weeklyUsed, :weeklyResetsAt, :weeklyLengthS,
                    :lastUsed, :updatedAt)
            ON CONFLICT (id) DO UPDATE SET
                cooldown_until = excluded.cooldown_until,
                cooldown_reason = excluded.cooldown_reason,
                needs_login_reason = excluded.needs_login_reason,
                failure_streak = excluded.failure_streak,
                windows_observed_at = excluded.windows_observed_at,
                limit_reached = excluded.limit_reached,
                five_hour_used = excluded.five_hour_used,
                five_hour_resets_at = excluded.five_hour_resets_at,
                five_hour_length_s = excluded.five_hour_length_s,
                weekly_used = excluded.weekly_used,
                weekly_resets_at = excluded.weekly_resets_at,
                weekly_length_s = excluded.weekly_length_s,
                last_used = excluded.last_used,
                updated_at = excluded.updated_at
            """)
    void upsert(@BindMethods CredentialStateRow row);

    @SqlQuery("""
            SELECT id, cooldown_until, cooldown_reason, needs_login_reason, failure_streak, windows_observed_at,
                   limit_reached, five_hour_used, five_hour_resets_at, five_hour_length_s, weekly_used,
                   weekly_resets_at, weekly_length_s, last_used, updated_at
            FROM credential_state
            ORDER BY id
            """)
    List<CredentialStateRow> loadAll();
}
