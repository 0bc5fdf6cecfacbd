package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.adapter.out.persistence.testing.TestDatabase;
import org.flywaydb.core.api.MigrationVersion;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite ({@code db/migration}) and PostgreSQL ({@code db/postgresql}) keep one schema: every migration exists in
 * both folders under the same name, and both build the same tables, columns and indexes.
 */
class MigrationParityTest {
    @TempDir
    Path dir;

    @Test
    void everyMigrationHasATwinOfTheSameVersionAndDescription() throws Exception {
        List<String> sqlite = migrations(SqlDialect.SQLITE);
        List<String> postgres = migrations(SqlDialect.POSTGRESQL);

        assertThat(sqlite).isNotEmpty();
        assertThat(postgres)
                .as("db/postgresql must hold a PostgreSQL twin of each db/migration script (BIGINT for epoch "
                        + "milliseconds, DOUBLE PRECISION for fractions, identity columns for rowids)")
                .isEqualTo(sqlite);
    }

    @Test
    void theLatestMigrationConstantIsTheNewestScriptOfBothFolders() throws Exception {
        for (SqlDialect dialect : SqlDialect.values()) {
            MigrationVersion newest = Stream.concat(
                            migrations(dialect).stream()
                                    .map(name -> MigrationVersion.fromVersion(name.substring(1, name.indexOf("__")))),
                            java.util.Arrays.stream(Databases.javaMigrations()).map(m -> m.getVersion()))
                    .max(Comparator.naturalOrder()).orElseThrow();

            assertThat(MigrationVersion.fromVersion(Databases.LATEST_MIGRATION))
                    .as("Databases.LATEST_MIGRATION must follow the newest script of " + dialect.migrations()
                            + ", or starts would skip a pending migration")
                    .isEqualTo(newest);
        }
    }

    @Test
    void bothDatabasesEndUpWithTheSameTablesColumnsAndIndexes() {
        Jdbi sqlite = TestDatabase.fresh(SqlDialect.SQLITE, dir).open();
        Jdbi postgres = TestDatabase.fresh(SqlDialect.POSTGRESQL, dir).open();

        Set<String> sqliteColumns = strings(sqlite, """
                SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
                WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'flyway_schema_history'
                """);
        Set<String> postgresColumns = strings(postgres, """
                SELECT table_name || '.' || column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name <> 'flyway_schema_history'
                """);
        Set<String> sqliteIndexes = strings(sqlite, """
                SELECT name FROM sqlite_master
                WHERE type = 'index' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'flyway%'
                """);
        Set<String> postgresIndexes = strings(postgres, """
                SELECT indexname FROM pg_indexes
                WHERE schemaname = current_schema() AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE 'flyway%'
                """);

        assertThat(sqliteColumns).contains("credential_state.needs_login_changed_at",
                "conversation_pins.conversation_key");
        assertThat(postgresColumns).isEqualTo(sqliteColumns);
        assertThat(postgresIndexes).isEqualTo(sqliteIndexes);
    }

    private static List<String> migrations(SqlDialect dialect) throws IOException, URISyntaxException {
        String folder = dialect.migrations().substring("classpath:".length());
        URL url = MigrationParityTest.class.getClassLoader().getResource(folder);
        assertThat(url).as(folder + " on the class path").isNotNull();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.+\\.sql")).sorted()
                    .toList();
        }
    }

    private static Set<String> strings(Jdbi jdbi, String sql) {
        List<String> rows = jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
        return new TreeSet<>(rows);
    }
}
