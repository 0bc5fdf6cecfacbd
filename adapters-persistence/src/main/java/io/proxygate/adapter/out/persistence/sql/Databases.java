package io.proxygate.adapter.out.persistence.sql;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Opens ProxyGate's database, SQLite or PostgreSQL by its JDBC URL, and applies that database's migrations.
 * SQLite's own set-up (WAL, busy timeout, a 0600 file) stays in {@link SqliteDatabase}.
 */
public final class Databases {
    /**
     * The newest migration version, scripts (the same in both folders) and Java migrations together
     * ({@code MigrationParityTest} holds it to them). Adding a migration means raising it, or every start would take
     * the database for up to date too early.
     */
    static final String LATEST_MIGRATION = "9.1";

    private Databases() {
    }

    /**
     * Applies {@code dialect}'s pending migrations; safe to call on every start, by several instances at once. A
     * database that already holds every migration this build ships is left alone without loading Flyway, which on
     * such a start only scanned its folder and validated the applied scripts: ~560 classes (with their lambdas) kept
     * for the process's life and 0.15 s of a restart's CPU time (0.6 s without the start-up cache), for nothing to do.
     */
    public static void migrate(DataSource dataSource, SqlDialect dialect) {
        if (upToDate(dataSource)) {
            return;
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrations())
                .javaMigrations(javaMigrations())
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    /** The migrations written in Java, on both databases. */
    static JavaMigration[] javaMigrations() {
        return new JavaMigration[]{new UsageSummaryBackfill()};
    }

    /**
     * Whether Flyway's history says the migration {@link #LATEST_MIGRATION} was applied and none failed. A
     * database without the history table, with a failed or missing version, or that cannot be read this way is not
     * up to date: Flyway then runs as always, migrating, or reporting what is wrong. A newer server's migrations
     * (versions above ours) count as up to date, as they do for Flyway, which ignores future migrations.
     */
    static boolean upToDate(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(CASE WHEN success AND "
                    + "version = ? THEN 1 END), COUNT(CASE WHEN success THEN NULL ELSE 1 END) FROM flyway_schema_history")) {
                // Versions compared as written ("9.1"), not as numbers: Flyway's dotted versions are not integers.
                statement.setString(1, LATEST_MIGRATION);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() && row.getInt(1) > 0 && row.getInt(2) == 0;
                }
            } catch (SQLException | RuntimeException unreadable) {
                if (!connection.getAutoCommit()) {
                    // PostgreSQL keeps a failed statement's transaction aborted: the pooled connection goes back clean.
                    connection.rollback();
                }
                return false;
            }
        } catch (SQLException | RuntimeException unavailable) {
            return false;
        }
    }

    /**
     * For the CLI and tests: an unpooled connection source for {@code jdbcUrl}, migrated. {@code user} and
     * {@code password} may be blank when the URL carries them (or SQLite needs none).
     */
    public static Jdbi open(String jdbcUrl, String user, String password) {
        return switch (SqlDialect.of(jdbcUrl)) {
            case SQLITE -> SqliteDatabase.open(jdbcUrl);
            case POSTGRESQL -> {
                PGSimpleDataSource dataSource = new PGSimpleDataSource();
                dataSource.setURL(jdbcUrl);
                if (user != null && !user.isBlank()) {
                    dataSource.setUser(user);
                }
                if (password != null && !password.isEmpty()) {
                    dataSource.setPassword(password);
                }
                yield create(dataSource, SqlDialect.POSTGRESQL);
            }
        };
    }

    /** A {@link Jdbi} with SqlObject support over a data source the caller manages, migrated first. */
    public static Jdbi create(DataSource dataSource, SqlDialect dialect) {
        if (dialect == SqlDialect.SQLITE) {
            return SqliteDatabase.create(dataSource);
        }
        migrate(dataSource, dialect);
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.installPlugin(new SqlObjectPlugin());
        return jdbi;
    }
}
