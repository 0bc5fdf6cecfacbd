package io.proxygate.adapter.out.persistence.sql;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

/**
 * Opens the SQLite database: WAL mode (so the CLI can read while the server writes), a busy timeout on every
 * connection (so a short write by the other process waits instead of failing), the numbered migrations in
 * {@code classpath:db/migration}, and a {@link Jdbi} with SqlObject support.
 */
public final class SqliteDatabase {
    /** How long a connection waits for another writer before reporting {@code SQLITE_BUSY}. */
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

    private SqliteDatabase() {
    }

    /** For the server: a data source it manages (pooled or not); pragmas are applied to each connection used. */
    public static Jdbi create(DataSource dataSource) {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.installPlugin(new ConnectionPragmas());
        enableWal(jdbi);
        migrate(dataSource);
        return jdbi;
    }

    /** For the CLI and tests: a JDBC URL such as {@code jdbc:sqlite:data/proxygate.db}. */
    public static Jdbi open(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException("not a SQLite JDBC URL: " + jdbcUrl);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl(jdbcUrl);
        return create(dataSource);
    }

    /** Opens (creating it 0600 if missing, with its parent folders) the database file at {@code dbFile}. */
    public static Jdbi open(Path dbFile) {
        Path file = dbFile.toAbsolutePath().normalize();
        try {
            Files.createDirectories(file.getParent());
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException e) {
                    // an existing database keeps the mode its owner gave it
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create database file " + file, e);
        }
        return open("jdbc:sqlite:" + file);
    }

    /** Applies pending migrations; safe to call on every start. */
    public static void migrate(DataSource dataSource) {
        Databases.migrate(dataSource, SqlDialect.SQLITE);
    }

    /** WAL is a property of the database file: set once, it stays for every later connection. */
    private static void enableWal(Jdbi jdbi) {
        String mode = jdbi.withHandle(h -> h.createQuery("PRAGMA journal_mode=WAL").mapTo(String.class).one());
        if (!"wal".equals(mode.toLowerCase(Locale.ROOT)) && !"memory".equals(mode.toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException("SQLite refused WAL mode (journal_mode=" + mode + ")");
        }
    }

    /** Busy timeout and sync level are per connection, so they are set on each one Jdbi opens. */
    private static final class ConnectionPragmas implements JdbiPlugin {
        @Override
        public Connection customizeConnection(Connection conn) throws SQLException {
            try (Statement statement = conn.createStatement()) {
                statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT.toMillis());
                statement.execute("PRAGMA synchronous = NORMAL");
            }
            return conn;
        }
    }
}
