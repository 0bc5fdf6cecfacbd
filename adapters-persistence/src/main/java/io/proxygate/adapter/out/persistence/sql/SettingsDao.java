package io.proxygate.adapter.out.persistence.sql;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/** SQL for the {@code settings} table. */
public interface SettingsDao {
    @SqlQuery("SELECT value FROM settings WHERE key = :key")
    Optional<String> value(@Bind("key") String key);

    @SqlUpdate("""
            INSERT INTO settings (key, value, updated_at) VALUES (:key, :value, :updatedAt)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """)
    void put(@Bind("key") String key, @Bind("value") String value, @Bind("updatedAt") long updatedAtMillis);
}
