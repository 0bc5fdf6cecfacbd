package io.proxygate.adapter.out.persistence.sql;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;

/**
 * Opens ProxyGate's database, SQLite or PostgreSQL by its JDBC URL, and applies that database's migrations.
 * SQLite's own set-up (WAL, busy timeout, a 0600 file) stays in {@link SqliteDatabase}.
 */
public final class Databases {
    private Databases() {
    }

    /** Applies {@code dialect}'s pending migrations; safe to call on every start, by several instances at once. */
    public static void migrate(DataSource dataSource, SqlDialect dialect) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrations())
                .javaMigrations(new UsageSummaryBackfill())
                .failOnMissingLocations(true)
                .load()
                .migrate();
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
