package io.proxygate.adapter.out.persistence.sql;

import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * SQL for the {@code credential_state} table (the same on SQLite and PostgreSQL).
 *
 * <p>Several instances may save the same credential's row, each from its own view. The upsert therefore merges
 * instead of overwriting: a cooldown only grows (an instance that has not heard of another's 429 cannot erase it),
 * usage windows keep the newest observation, and the needs-login mark keeps the newest change (set or cleared).
 * A NULL on either side never wins a comparison, so a row or save that knows nothing keeps what the other knows.
 */
@RegisterConstructorMapper(CredentialStateRow.class)
public interface CredentialStateDao extends SqlObject {
    /** The merging upsert; its "newer wins" rule is written once, in {@link #newerWins}. */
    String UPSERT = """
            INSERT INTO credential_state (id, cooldown_until, cooldown_reason, needs_login_reason, failure_streak,
                                          windows_observed_at, limit_reached, five_hour_used, five_hour_resets_at,
                                          five_hour_length_s, weekly_used, weekly_resets_at, weekly_length_s,
                                          last_used, updated_at, needs_login_changed_at)
            VALUES (:id, :cooldownUntil, :cooldownReason, :needsLoginReason, :failureStreak,
                    :windowsObservedAt, :limitReached, :fiveHourUsed, :fiveHourResetsAt,
                    :fiveHourLengthS, :weeklyUsed, :weeklyResetsAt, :weeklyLengthS,
                    :lastUsed, :updatedAt, :needsLoginChangedAt)
            ON CONFLICT (id) DO UPDATE SET
            """ + String.join(",\n",
            newerWins("cooldown_until", "cooldown_until", "cooldown_reason"),
            newerWins("needs_login_changed_at", "needs_login_reason", "needs_login_changed_at"),
            "failure_streak = excluded.failure_streak",
            newerWins("windows_observed_at", "windows_observed_at", "limit_reached", "five_hour_used",
                    "five_hour_resets_at", "five_hour_length_s", "weekly_used", "weekly_resets_at", "weekly_length_s"),
            "last_used = excluded.last_used",
            "updated_at = excluded.updated_at");

    default void upsert(CredentialStateRow row) {
        getHandle().createUpdate(UPSERT).bindMethods(row).execute();
    }

    /**
     * SET clauses that take the saved values of {@code columns} when the save's {@code order} column is at least the
     * stored one (or nothing is stored yet), and keep the stored values otherwise.
     */
    private static String newerWins(String order, String... columns) {
        String saveIsNewer = "credential_state." + order + " IS NULL OR excluded." + order + " >= credential_state."
                + order;
        return Arrays.stream(columns)
                .map(c -> c + " = CASE WHEN " + saveIsNewer + " THEN excluded." + c + " ELSE credential_state." + c
                        + " END")
                .collect(Collectors.joining(",\n"));
    }

    /**
     * An operator's reset: the one write that may shorten a stored cooldown; it lifts the needs-login mark too,
     * stamped {@code at} so an older mark saved by another instance does not come back.
     */
    @SqlUpdate("""
            UPDATE credential_state SET cooldown_until = NULL, cooldown_reason = NULL, failure_streak = 0,
                                        needs_login_reason = NULL, needs_login_changed_at = :at
            WHERE id = :id
            """)
    int clearCooldown(@Bind("id") String id, @Bind("at") long atMillis);

    @SqlQuery("""
            SELECT id, cooldown_until, cooldown_reason, needs_login_reason, failure_streak, windows_observed_at,
                   limit_reached, five_hour_used, five_hour_resets_at, five_hour_length_s, weekly_used,
                   weekly_resets_at, weekly_length_s, last_used, updated_at, needs_login_changed_at
            FROM credential_state
            ORDER BY id
            """)
    List<CredentialStateRow> loadAll();
}
