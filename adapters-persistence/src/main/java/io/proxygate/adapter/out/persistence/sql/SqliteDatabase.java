package io.proxygate.adapter.out.persistence.sql;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Opens the SQLite database: WAL mode (so the CLI can read while the server writes), a busy timeout on every
 * connection (so a short write by the other process waits instead of failing), the numbered migrations in
 * {@code classpath:db/migration}, and a {@link Jdbi} with SqlObject support.
 */
public final class SqliteDatabase {
    /** How long a connection waits for another writer before reporting {@code SQLITE_BUSY}. */
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

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
        prepare(file);
        return open("jdbc:sqlite:" + file);
    }

    /**
     * Before the first connection to the database at {@code dbFile}: its files made owner-only
     * ({@link #restrictFiles}) and the driver's native library taken from a copy beside it instead of being unpacked
     * from the jar again ({@link SqliteNativeLibrary}).
     */
    public static void prepare(Path dbFile) {
        Path file = dbFile.toAbsolutePath().normalize();
        restrictFiles(file);
        SqliteNativeLibrary.useCopyIn(file.getParent());
    }

    /**
     * Makes the database at {@code dbFile} readable by its owner only: creates it 0600 when missing (SQLite gives its
     * {@code -wal} and {@code -shm} files the database file's mode) and tightens an existing database, {@code -wal}
     * or {@code -shm} that is open to others. The request log holds prompts' metadata and credential names, so other
     * local users have no business reading it. Returns the files whose mode was changed.
     */
    public static List<Path> restrictFiles(Path dbFile) {
        Path file = dbFile.toAbsolutePath().normalize();
        List<Path> tightened = new ArrayList<>();
        try {
            Files.createDirectories(file.getParent());
            if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return tightened;
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException e) {
                // an existing database is tightened below
            }
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path f = file.resolveSibling(file.getFileName() + suffix);
                try {
                    if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                            && !Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
                        Files.setPosixFilePermissions(f, OWNER_ONLY);
                        tightened.add(f);
                    }
                } catch (IOException e) {
                    // Someone else's file (a CLI run by another user): say so, but reading it is still allowed.
                    LOG.warn("cannot make {} owner-only: {}", f, e.getClass().getSimpleName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create database file " + file, e);
        }
        if (!tightened.isEmpty()) {
            LOG.warn("database files were readable by other users; now 0600: {}", tightened);
        }
        return tightened;
    }

    /** The file behind a {@code jdbc:sqlite:} URL, or empty for an in-memory database or another driver. */
    public static Optional<Path> fileOf(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isBlank() || rest.startsWith(":memory:") || rest.contains("mode=memory")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(rest));
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
