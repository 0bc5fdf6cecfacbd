package io.proxygate.adapter.out.persistence.sql;

import java.util.Locale;

/**
 * The databases ProxyGate runs on, told apart by their JDBC URL, and what differs between them. The DAOs' SQL is
 * the same on both (upserts are {@code INSERT ... ON CONFLICT}); the schema is not quite, so each has its own
 * migration folder with the same versions: {@code db/migration} for SQLite, {@code db/postgresql} for PostgreSQL.
 */
public enum SqlDialect {
    /** One file, one instance (the CLI may read alongside). */
    SQLITE("org.sqlite.JDBC", "classpath:db/migration"),
    /** A server that several instances share. */
    POSTGRESQL("org.postgresql.Driver", "classpath:db/postgresql");

    private final String driverClass;
    private final String migrations;

    SqlDialect(String driverClass, String migrations) {
        this.driverClass = driverClass;
        this.migrations = migrations;
    }

    /** @throws IllegalArgumentException for a URL of any other database */
    public static SqlDialect of(String jdbcUrl) {
        String url = jdbcUrl == null ? "" : jdbcUrl.trim().toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL (expected jdbc:sqlite:... or "
                + "jdbc:postgresql://...): " + redact(jdbcUrl));
    }

    public String driverClass() {
        return driverClass;
    }

    /** The Flyway location of this database's migrations. */
    public String migrations() {
        return migrations;
    }

    /** Whether other instances may use the same database at the same time. */
    public boolean shared() {
        return this == POSTGRESQL;
    }

    /** The URL without its query string, which may carry a password. */
    public static String redact(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "null";
        }
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?...";
    }
}
