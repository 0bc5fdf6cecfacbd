package io.proxygate.adapter.out.persistence.sql;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void migratesAFreshFileToTheLatestSchemaInWalMode() throws IOException {
        Path file = dir.resolve("data/proxygate.db");

        Jdbi jdbi = SqliteDatabase.open(file);

        assertThat(Files.exists(file)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(one(jdbi, "PRAGMA journal_mode", String.class))
                .isEqualToIgnoringCase("wal");
        assertThat(list(jdbi,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
                .containsExactly("client_keys", "conversation_pins", "credential_state", "flyway_schema_history",
                        "request_log", "settings", "usage_summary");
        assertThat(list(jdbi,
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'request_log' ORDER BY name"))
                .contains("request_log_started_at", "request_log_credential_id", "request_log_credential_or_provider",
                        "request_log_client_key_or_open");
        assertThat(list(jdbi,
                "SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank")).containsExactly("1", "2", "3", "4", "5",
                        "6", "7", "8", "9", "9.1");
    }

    @Test
    void theRequestListFilteredByCredentialOrClientKeyReadsItsNewestRowsOffAnIndexWithoutSorting() throws IOException {
        Jdbi jdbi = SqliteDatabase.open(dir.resolve("plan.db"));
        String byCredential = plan(jdbi, "WHERE COALESCE(credential_id, provider) = 'chatgpt:a@example.com'");
        String byClientKey = plan(jdbi, "WHERE COALESCE(client_key, 'open') = 'open'");

        assertThat(byCredential).contains("request_log_credential_or_provider").doesNotContain("TEMP B-TREE");
        assertThat(byClientKey).contains("request_log_client_key_or_open").doesNotContain("TEMP B-TREE");
    }

    private static String plan(Jdbi jdbi, String where) {
        String sql = "EXPLAIN QUERY PLAN SELECT id FROM request_log " + where
                + " AND route <> 'rollup' ORDER BY started_at DESC, row_id DESC LIMIT 100";
        List<String> details = jdbi.withHandle(h -> h.createQuery(sql).map((rs, ctx) -> rs.getString("detail")).list());
        return String.join("\n", details);
    }

    @Test
    void tightensAnExistingWorldReadableDatabaseAndItsWalAndShmTo0600() throws IOException {
        Path file = dir.resolve("proxygate.db");
        SqliteDatabase.open(file).useHandle(h -> h.execute(
                "INSERT INTO credential_state (id, failure_streak, updated_at) VALUES ('key:a', 1, 0)"));
        var open = PosixFilePermissions.fromString("rw-r--r--");
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path f = dir.resolve("proxygate.db" + suffix);
            if (!Files.exists(f)) {
                Files.createFile(f);
            }
            Files.setPosixFilePermissions(f, open);
        }

        Jdbi again = SqliteDatabase.open(file);

        again.useHandle(h -> {
            h.execute("UPDATE credential_state SET failure_streak = 2");
            for (String suffix : List.of("", "-wal", "-shm")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("proxygate.db" + suffix))))
                        .as("proxygate.db" + suffix).isEqualTo("rw-------");
            }
        });
    }

    @Test
    void walAndShmOfAFreshDatabaseAreOwnerOnly() throws IOException {
        Path file = dir.resolve("fresh.db");
        Jdbi jdbi = SqliteDatabase.open(file);

        jdbi.useHandle(h -> {
            h.execute("INSERT INTO credential_state (id, failure_streak, updated_at) VALUES ('key:b', 1, 0)");
            for (String suffix : List.of("-wal", "-shm")) {
                Path f = dir.resolve("fresh.db" + suffix);
                assertThat(f).exists();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            }
        });
    }

    @Test
    void findsTheFileBehindASqliteUrl() {
        assertThat(SqliteDatabase.fileOf("jdbc:sqlite:/tmp/x/proxygate.db")).contains(Path.of("/tmp/x/proxygate.db"));
        assertThat(SqliteDatabase.fileOf("jdbc:sqlite:file:/tmp/y.db?cache=shared")).contains(Path.of("/tmp/y.db"));
        assertThat(SqliteDatabase.fileOf("jdbc:sqlite::memory:")).isEmpty();
        assertThat(SqliteDatabase.fileOf("jdbc:postgresql://h/db")).isEmpty();
    }

    @Test
    void reopeningAMigratedFileKeepsItsData() {
        Path file = dir.resolve("proxygate.db");
        SqliteDatabase.open(file).useHandle(h -> h.execute(
                "INSERT INTO credential_state (id, failure_streak, updated_at) VALUES ('key:a', 2, 0)"));

        Jdbi again = SqliteDatabase.open(file);

        assertThat(one(again, "SELECT failure_streak FROM credential_state", Integer.class)).isEqualTo(2);
    }

    @Test
    void appliesBusyTimeoutToConnectionsOfAGivenDataSource() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("ds.db"));

        Jdbi jdbi = SqliteDatabase.create(dataSource);

        assertThat(one(jdbi, "PRAGMA busy_timeout", Long.class))
                .isEqualTo(SqliteDatabase.BUSY_TIMEOUT.toMillis());
        assertThat(one(jdbi, "PRAGMA journal_mode", String.class))
                .isEqualToIgnoringCase("wal");
    }

    @Test
    void aSecondConnectionCanReadWhileAWriteTransactionIsOpen() {
        Path file = dir.resolve("shared.db");
        Jdbi server = SqliteDatabase.open(file);
        Jdbi cli = SqliteDatabase.open(file);

        server.useTransaction(h -> {
            h.execute("INSERT INTO credential_state (id, failure_streak, updated_at) VALUES ('key:w', 1, 0)");
            // WAL lets the reader see the last committed state instead of failing with SQLITE_BUSY.
            assertThat(one(cli, "SELECT count(*) FROM credential_state", Integer.class)).isZero();
        });
    }

    @Test
    void rejectsANonSqliteUrl() {
        assertThatThrownBy(() -> SqliteDatabase.open("jdbc:postgresql://localhost/x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static <T> T one(Jdbi jdbi, String sql, Class<T> type) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(type).one());
    }

    private static List<String> list(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    @Test
    void onlyADatabaseWithEveryMigrationAppliedIsUpToDate() {
        SQLiteDataSource fresh = dataSource(dir.resolve("fresh.db"));
        assertThat(Databases.upToDate(fresh)).as("no history table yet").isFalse();

        Path file = dir.resolve("migrated.db");
        Jdbi jdbi = SqliteDatabase.open(file);
        SQLiteDataSource migrated = dataSource(file);
        assertThat(Databases.upToDate(migrated)).isTrue();

        jdbi.useHandle(h -> h.execute("UPDATE flyway_schema_history SET success = 0 WHERE version = '3'"));
        assertThat(Databases.upToDate(migrated)).as("a failed migration is Flyway's to report").isFalse();

        jdbi.useHandle(h -> h.execute("UPDATE flyway_schema_history SET success = 1 WHERE version = '3'"));
        jdbi.useHandle(h -> h.execute("DELETE FROM flyway_schema_history WHERE version = ?",
                Databases.LATEST_MIGRATION));
        assertThat(Databases.upToDate(migrated)).as("the newest migration is pending").isFalse();
    }

    @Test
    void aDatabaseFromBeforeTheNewestMigrationGetsItOnTheNextOpen() {
        Path file = dir.resolve("older.db");
        // The newest migration (the usage summary's backfill) undone: the database of a server one version older.
        SqliteDatabase.open(file).useHandle(h -> {
            h.execute("INSERT INTO request_log (id, started_at, route, provider, credential_id, model, status,"
                    + " input_tokens, output_tokens, latency_ms, ttfb_ms) VALUES ('r1', 1764000000000,"
                    + " '/v1/responses', 'chatgpt', 'chatgpt:a', 'gpt-5', 200, 10, 5, 100, 20)");
            h.execute("DELETE FROM usage_summary");
            h.execute("DELETE FROM flyway_schema_history WHERE version = ?", Databases.LATEST_MIGRATION);
        });
        assertThat(Databases.upToDate(dataSource(file))).isFalse();

        Jdbi reopened = SqliteDatabase.open(file);

        assertThat(list(reopened, "SELECT version FROM flyway_schema_history WHERE success = 1"))
                .contains(Databases.LATEST_MIGRATION);
        assertThat(list(reopened, "SELECT COUNT(*) FROM usage_summary")).doesNotContain("0");
        assertThat(Databases.upToDate(dataSource(file))).isTrue();
    }

    private static SQLiteDataSource dataSource(Path file) {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }
}
