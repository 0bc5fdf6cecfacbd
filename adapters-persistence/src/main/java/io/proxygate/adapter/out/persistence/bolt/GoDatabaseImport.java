package io.proxygate.adapter.out.persistence.bolt;

import io.proxygate.adapter.out.persistence.sql.SqliteDatabase;
import io.proxygate.adapter.out.persistence.sql.UsageSummaryBackfill;
import io.proxygate.domain.routing.ConversationKey;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts ProxyGate in a folder the Go version used: when the SQLite path holds the Go version's bbolt database, its
 * contents go into a new SQLite database, the bbolt file is renamed beside it ({@code proxygate.bolt.db}, never
 * deleted) and the new database takes its path.
 *
 * <p>The new database is built under a temporary name first and moved into place only when complete, so a failed
 * import leaves the bbolt file where it was and the next start tries again.
 *
 * <ul>
 *   <li>Daily usage becomes daily roll-up rows of the request log (route {@code rollup}, one per credential, model
 *       and tier, split into successful, unpriced and failed requests), dated at the start of the first whole hour
 *       of their local day (midnight, in zones a whole number of hours from UTC), never after the import itself.
 *       Views of today end at "now", so a row of today must not lie ahead of the import; and the statistics read
 *       roll-ups from the hourly summary only, which counts an hour once it has ended, so the earliest hour of the
 *       day is the one they see soonest. Today's usage, the charts and the lifetime totals then read them like any
 *       other rows.</li>
 *   <li>Lifetime counters beyond what the kept days hold (the Go version counted successful requests since the
 *       account was added) become one roll-up row per credential on the day before the oldest kept day.</li>
 *   <li>Unexpired pins keep their account, and expire when they would have.</li>
 *   <li>The Claude fallback policy is copied as stored (same key and JSON shape).</li>
 * </ul>
 */
public final class GoDatabaseImport {
    /** What one import brought over. */
    public record Summary(Path backup, int days, int credentials, int usageRows, int lifetimeRows, int pins,
                          int expiredPins, boolean fallbackPolicy, int skipped) {
        /** The one log line: what was imported and where the old file went. */
        public String describe(Path dbFile) {
            return String.format(Locale.ROOT, "imported the Go version's bbolt database %s (kept as %s): %d day(s) of"
                            + " usage for %d credential(s) in %d roll-up row(s), lifetime counters in %d more,"
                            + " %d unexpired pin(s)%s, %s%s",
                    dbFile, backup.getFileName(), days, credentials, usageRows, lifetimeRows, pins,
                    expiredPins > 0 ? " (" + expiredPins + " expired left out)" : "",
                    fallbackPolicy ? "the Claude fallback policy" : "no Claude fallback policy",
                    skipped > 0 ? "; " + skipped + " unreadable entr" + (skipped == 1 ? "y" : "ies") + " skipped" : "");
        }
    }

    private static final String INSERT = """
            INSERT INTO request_log (id, started_at, route, provider, credential_id, model, service_tier, status,
                input_tokens, cached_input_tokens, cache_creation_tokens, output_tokens, reasoning_tokens, cost_usd,
                latency_ms, ttfb_ms, error_class, incomplete, routing_note, request_count)
            VALUES ('rollup', :started_at, 'rollup', :provider, :credential_id, :model, :service_tier, :status,
                :input_tokens, :cached_input_tokens, 0, :output_tokens, 0, :cost_usd,
                0, NULL, :error_class, 0, :note, :request_count)
            """;
    private static final String UNKNOWN_MODEL = "unknown";
    private static final long HOUR_MILLIS = 3_600_000L;

    private final Duration pinTtl;
    private final ZoneId zone;
    private final InstantSource clock;

    /**
     * @param pinTtl the idle time after which a pin expires here ({@code [broker] pin_ttl})
     * @param zone   the server's zone: a Go "day" was a local day
     */
    public GoDatabaseImport(Duration pinTtl, ZoneId zone, InstantSource clock) {
        this.pinTtl = Objects.requireNonNull(pinTtl, "pinTtl");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The database file of a {@code jdbc:sqlite:} URL, unless it is an in-memory database. */
    public static Optional<Path> sqliteFile(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        String path = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        path = query >= 0 ? path.substring(0, query) : path;
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        return path.isBlank() || path.startsWith(":memory:") ? Optional.empty() : Optional.of(Path.of(path));
    }

    /**
     * Imports {@code dbFile} if it is a bbolt database (see the class comment); empty when it is not.
     *
     * <p>The server and the database commands of the CLI each import on first use, so two processes may find the
     * same bbolt file: they take turns on a lock file beside it, and the second finds SQLite once it gets the lock.
     * The lock file is removed once the path holds SQLite (no one imports after that); after a failed import it
     * stays, so a process still waiting on it and one arriving later can never hold two different lock files at
     * once while the bbolt file is still there to import.
     */
    public Optional<Summary> importIfBolt(Path dbFile) throws IOException {
        if (!BoltFile.isBolt(dbFile)) {
            return Optional.empty();
        }
        Path lockFile = dbFile.resolveSibling(dbFile.getFileName() + ".import-lock");
        // A file lock keeps other processes out; within one JVM a second lock on the file would fail instead of
        // waiting, so threads take turns first.
        synchronized (IN_PROCESS) {
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock ignored = channel.lock()) {
                Optional<Summary> summary = BoltFile.isBolt(dbFile) ? importLocked(dbFile)
                        : Optional.empty(); // imported by whoever held the lock before
                Files.deleteIfExists(lockFile);
                return summary;
            }
        }
    }

    private static final Object IN_PROCESS = new Object();

    private Optional<Summary> importLocked(Path dbFile) throws IOException {
        GoDatabase go = GoDatabase.read(BoltFile.open(dbFile));
        Path building = dbFile.resolveSibling(dbFile.getFileName() + ".importing");
        deleteWithSidecars(building);
        Counts counts;
        try {
            Jdbi jdbi = SqliteDatabase.open(building);
            counts = jdbi.inTransaction(h -> {
                Counts written = write(h, go);
                // The imported roll-ups bypass the request log's writer: sum them into the statistics summary.
                try {
                    UsageSummaryBackfill.rebuild(h.getConnection());
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("summing the imported usage failed: " + e.getMessage(), e);
                }
                return written;
            });
            // Fold the write-ahead log into the file, so the file alone is the whole database when moved.
            jdbi.useHandle(h -> h.execute("PRAGMA wal_checkpoint(TRUNCATE)"));
        } catch (RuntimeException e) {
            deleteWithSidecars(building);
            throw new IOException("cannot import the Go version's database " + dbFile + ": " + e.getMessage(), e);
        }
        Path backup = backupName(dbFile);
        Files.move(dbFile, backup);
        Files.move(building, dbFile, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(sidecar(building, "-wal"));
        Files.deleteIfExists(sidecar(building, "-shm"));
        return Optional.of(new Summary(backup, counts.days, counts.credentials, counts.usageRows, counts.lifetimeRows,
                counts.pins, counts.expiredPins, go.fallbackPolicy().isPresent(), go.skipped()));
    }

    private static final class Counts {
        int days;
        int credentials;
        int usageRows;
        int lifetimeRows;
        int pins;
        int expiredPins;
    }

    private Counts write(Handle h, GoDatabase go) {
        Counts counts = new Counts();
        RollupBatch batch = new RollupBatch(h.prepareBatch(INSERT), clock.instant());

        // Per day and credential: the billing-key rows, plus whatever the credential's whole day has beyond them
        // (requests of an unknown model have no billing key).
        record DayOwner(LocalDate date, GoDatabase.Owner owner) {
        }
        Map<DayOwner, GoDatabase.Counters> wholeDays = new LinkedHashMap<>();
        Map<DayOwner, GoDatabase.Counters> billed = new HashMap<>();
        Map<GoDatabase.Owner, GoDatabase.Counters> importedPerOwner = new HashMap<>();
        Map<GoDatabase.Owner, String> providers = new HashMap<>();
        for (GoDatabase.Daily d : go.daily()) {
            DayOwner k = new DayOwner(d.date(), d.owner());
            if (d.model().isEmpty()) {
                wholeDays.merge(k, d.counters(), GoDatabase.Counters::plus);
                continue;
            }
            billed.merge(k, d.counters(), GoDatabase.Counters::plus);
            String provider = provider(d.owner(), d.model().get());
            providers.putIfAbsent(d.owner(), provider);
            counts.usageRows += add(batch, d.date(), d.owner(), provider, d.model().get(), d.tier(), d.counters(),
                    "imported from the Go version");
            importedPerOwner.merge(d.owner(), d.counters(), GoDatabase.Counters::plus);
        }
        for (Map.Entry<DayOwner, GoDatabase.Counters> e : wholeDays.entrySet()) {
            GoDatabase.Counters rest = e.getValue().minus(billed.getOrDefault(e.getKey(), GoDatabase.Counters.ZERO));
            if (!rest.isEmpty()) {
                GoDatabase.Owner owner = e.getKey().owner();
                counts.usageRows += add(batch, e.getKey().date(), owner,
                        providers.getOrDefault(owner, provider(owner, "")), UNKNOWN_MODEL, Optional.empty(), rest,
                        "imported from the Go version");
                importedPerOwner.merge(owner, rest, GoDatabase.Counters::plus);
            }
        }
        java.util.Set<DayOwner> everyDay = new java.util.HashSet<>(billed.keySet());
        everyDay.addAll(wholeDays.keySet());
        counts.days = (int) everyDay.stream().map(DayOwner::date).distinct().count();
        counts.credentials = (int) everyDay.stream().map(DayOwner::owner).distinct().count();

        // Lifetime counters reach back before the kept days: what they hold beyond them goes one day earlier.
        LocalDate before = everyDay.stream().map(DayOwner::date).min(Comparator.naturalOrder())
                .orElse(LocalDate.ofInstant(clock.instant(), zone)).minusDays(1);
        for (GoDatabase.Lifetime l : go.lifetime()) {
            GoDatabase.Owner owner = switch (l.bucket()) {
                case "claude_accounts" -> new GoDatabase.Owner(true, "claude:" + l.id());
                case "apikeys" -> new GoDatabase.Owner(false, l.id());
                default -> new GoDatabase.Owner(true, l.id());
            };
            GoDatabase.Counters kept = importedPerOwner.getOrDefault(owner, GoDatabase.Counters.ZERO);
            // The Go lifetime counters hold successful requests only; the kept days count failures too.
            GoDatabase.Counters keptSuccesses = new GoDatabase.Counters(kept.requests() - kept.errors(), 0, 0,
                    kept.inputTokens(), 0, kept.outputTokens(), kept.cost());
            GoDatabase.Counters older = l.counters().minus(keptSuccesses);
            if (!older.isEmpty()) {
                counts.lifetimeRows += add(batch, before, owner, providers.getOrDefault(owner, provider(owner, "")),
                        UNKNOWN_MODEL, Optional.empty(), older, "imported from the Go version (lifetime, before "
                                + before.plusDays(1) + ")");
            }
        }
        batch.execute();

        Instant now = clock.instant();
        PreparedBatch pinBatch = h.prepareBatch("""
                INSERT INTO conversation_pins (conversation_key, credential_id, touched_at)
                VALUES (:key, :credential, :touched)
                ON CONFLICT (conversation_key) DO UPDATE SET
                    credential_id = excluded.credential_id, touched_at = excluded.touched_at
                """);
        for (GoDatabase.Pin p : go.pins()) {
            Optional<ConversationKey> key = conversationKey(p.key());
            if (key.isEmpty()) {
                continue;
            }
            if (p.expiresAt().isPresent() && !p.expiresAt().get().isAfter(now)) {
                counts.expiredPins++;
                continue;
            }
            // Last used so that it expires here when it would have there (never later than now).
            Instant touched = p.expiresAt().map(t -> t.minus(pinTtl)).filter(t -> t.isBefore(now)).orElse(now);
            pinBatch.bind("key", key.get().value()).bind("credential", "chatgpt:" + p.email())
                    .bind("touched", touched.toEpochMilli()).add();
            counts.pins++;
        }
        if (pinBatch.size() > 0) {
            pinBatch.execute();
        }
        go.fallbackPolicy().ifPresent(policy -> h.createUpdate("""
                        INSERT INTO settings (key, value, updated_at) VALUES ('claude_fallback_policy', :value, :at)
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                        """).bind("value", policy).bind("at", now.toEpochMilli()).execute());
        return counts;
    }

    /** A response id pins by {@code previous_response_id}; {@code session:} keys are the same here. */
    static Optional<ConversationKey> conversationKey(String goKey) {
        if (goKey.startsWith("session:")) {
            return goKey.length() > "session:".length() ? Optional.of(new ConversationKey(goKey)) : Optional.empty();
        }
        if (goKey.startsWith("mcp:") || goKey.isBlank()) {
            return Optional.empty(); // MCP sessions are not served here
        }
        return Optional.of(ConversationKey.response(goKey));
    }

    /** The start of the first whole UTC hour (the statistics summary's unit) that lies in {@code date}, local. */
    private long firstWholeHour(LocalDate date) {
        long midnight = date.atStartOfDay(zone).toInstant().toEpochMilli();
        return Math.ceilDiv(midnight, HOUR_MILLIS) * HOUR_MILLIS;
    }

    /** The roll-up rows being written, and when: no row is dated after the import. */
    private record RollupBatch(PreparedBatch batch, Instant importedAt) {
        void execute() {
            if (batch.size() > 0) {
                batch.execute();
            }
        }
    }

    /** One roll-up row's share of an aggregate: how many requests, with which status, priced or not. */
    private record Part(long requests, int status, boolean priced, String errorClass) {
    }

    /**
     * Adds up to three rows (successful and priced, successful and unpriced, failed); returns how many. The
     * aggregate's tokens go on the first row and its cost on the priced row (else the last), so sums stay exact.
     */
    private int add(RollupBatch rollups, LocalDate date, GoDatabase.Owner owner, String provider, String model,
                    Optional<String> tier, GoDatabase.Counters c, String note) {
        long at = Math.min(firstWholeHour(date), rollups.importedAt().toEpochMilli());
        PreparedBatch batch = rollups.batch();
        long errors = Math.min(c.errors(), c.requests());
        long unpriced = Math.min(c.unpriced(), c.requests() - errors);
        long priced = c.requests() - errors - unpriced;
        List<Part> parts = new ArrayList<>(3);
        if (priced > 0) {
            parts.add(new Part(priced, 200, true, null));
        }
        if (unpriced > 0) {
            parts.add(new Part(unpriced, 200, false, null));
        }
        if (errors > 0) {
            parts.add(new Part(errors, 599, false, "imported"));
        }
        if (parts.isEmpty()) {
            parts.add(new Part(0, 200, true, null)); // tokens or cost without a request count
        }
        boolean costPlaced = false;
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            boolean first = i == 0;
            boolean carriesCost = !costPlaced && c.cost().signum() > 0 && (part.priced() || i == parts.size() - 1);
            costPlaced |= carriesCost;
            batch.bind("started_at", at).bind("provider", provider).bind("credential_id", credentialId(owner))
                    .bind("model", model).bind("service_tier", tier.orElse(null)).bind("status", part.status())
                    .bind("input_tokens", first ? c.inputTokens() : 0)
                    .bind("cached_input_tokens", first ? c.cachedTokens() : 0)
                    .bind("output_tokens", first ? c.outputTokens() : 0)
                    .bind("cost_usd", carriesCost ? plain(c.cost()) : part.priced() ? "0" : null)
                    .bind("error_class", part.errorClass()).bind("note", note)
                    .bind("request_count", part.requests()).add();
        }
        return parts.size();
    }

    private static String plain(BigDecimal cost) {
        return cost.stripTrailingZeros().toPlainString();
    }

    /** ChatGPT accounts by email, Claude accounts as {@code claude:<email>}, keys by id; Vertex AI has none. */
    private static String credentialId(GoDatabase.Owner owner) {
        if (owner.account()) {
            return owner.id().startsWith("claude:") ? owner.id() : "chatgpt:" + owner.id();
        }
        return owner.id().equals("vertex-ai") ? null : "key:" + owner.id();
    }

    /**
     * The provider column. The bbolt file does not say which kind a key is; its models do (a key serving Claude
     * models is an Anthropic key).
     */
    private static String provider(GoDatabase.Owner owner, String model) {
        if (owner.account()) {
            return owner.id().startsWith("claude:") ? "claude-pool" : "chatgpt-pool";
        }
        if (owner.id().equals("vertex-ai")) {
            return "vertex-ai";
        }
        return model.toLowerCase(Locale.ROOT).startsWith("claude") ? "anthropic-key" : "openai-key";
    }

    /** {@code proxygate.bolt.db} beside the imported file, or {@code proxygate.bolt-2.db}... when that is taken. */
    static Path backupName(Path dbFile) {
        String name = dbFile.getFileName().toString();
        String stem = name.endsWith(".db") ? name.substring(0, name.length() - 3) : name;
        Path candidate = dbFile.resolveSibling(stem + ".bolt.db");
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = dbFile.resolveSibling(stem + ".bolt-" + i + ".db");
        }
        return candidate;
    }

    private static Path sidecar(Path db, String suffix) {
        return db.resolveSibling(db.getFileName() + suffix);
    }

    private static void deleteWithSidecars(Path db) throws IOException {
        Files.deleteIfExists(db);
        Files.deleteIfExists(sidecar(db, "-wal"));
        Files.deleteIfExists(sidecar(db, "-shm"));
    }
}
