package io.proxygate.adapter.out.persistence.testing;

import io.proxygate.adapter.out.persistence.sql.Databases;
import io.proxygate.adapter.out.persistence.sql.SqlDialect;
import io.proxygate.adapter.out.persistence.sql.SqliteDatabase;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A fresh, migrated database of either dialect for one test: a SQLite file in the test's temp folder, or a new
 * schema on the PostgreSQL server named by {@code PROXYGATE_TEST_POSTGRES_URL} (CI always sets it; locally see
 * {@code scripts/test-postgres.sh}). Without that variable, PostgreSQL cases are skipped by assumption.
 */
public record TestDatabase(SqlDialect dialect, String url) {
    public static final String POSTGRES_URL_VARIABLE = "PROXYGATE_TEST_POSTGRES_URL";

    /** A new database of {@code dialect}; SQLite files go under {@code dir}. */
    public static TestDatabase fresh(SqlDialect dialect, Path dir) {
        return switch (dialect) {
            case SQLITE -> new TestDatabase(dialect,
                    "jdbc:sqlite:" + dir.resolve("db-" + UUID.randomUUID() + ".db").toAbsolutePath());
            case POSTGRESQL -> new TestDatabase(dialect, freshPostgresSchema());
        };
    }

    /** Another connection source on the same database, migrated (as a second instance or the CLI would open it). */
    public Jdbi open() {
        return dialect == SqlDialect.SQLITE ? SqliteDatabase.open(url) : Databases.open(url, "", "");
    }

    /** The server's URL, or a skipped test. */
    public static String postgresServerUrl() {
        String url = System.getenv(POSTGRES_URL_VARIABLE);
        assumeTrue(url != null && !url.isBlank(), POSTGRES_URL_VARIABLE + " is not set: PostgreSQL case skipped "
                + "(CI always sets it; locally: eval \"$(scripts/test-postgres.sh start)\")");
        return url;
    }

    private static String freshPostgresSchema() {
        String server = postgresServerUrl();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema on " + SqlDialect.redact(server), e);
        }
        return server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
