package io.proxygate.adapter.out.persistence.sql;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/** SQL for the {@code conversation_pins} table (the same on SQLite and PostgreSQL). */
interface ConversationPinDao {
    @SqlQuery("""
            SELECT credential_id FROM conversation_pins
            WHERE conversation_key = :key AND touched_at >= :liveSince
            """)
    Optional<String> find(@Bind("key") String key, @Bind("liveSince") long liveSinceMillis);

    @SqlUpdate("""
            INSERT INTO conversation_pins (conversation_key, credential_id, touched_at)
            VALUES (:key, :credential, :touchedAt)
            ON CONFLICT (conversation_key) DO UPDATE SET
                credential_id = excluded.credential_id,
                touched_at = excluded.touched_at
            """)
    void save(@Bind("key") String key, @Bind("credential") String credential, @Bind("touchedAt") long touchedAtMillis);

    @SqlUpdate("DELETE FROM conversation_pins WHERE touched_at < :cutoff")
    int deleteIdleBefore(@Bind("cutoff") long cutoffMillis);
}
