package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.UsageSeriesPort;
import io.proxygate.application.port.out.UsageStatsPort;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.application.usage.SeriesPoint;
import io.proxygate.application.usage.StatsRow;
import io.proxygate.application.usage.UsageTotals;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.usage.TokenUsage;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads usage out of the {@code request_log} table: totals, grouped statistics with percentiles, chart series and
 * recent rows.
 *
 * <ul>
 *   <li>Every query runs over a small per-connection table of time buckets ({@code stat_buckets}, a temporary table) joined to
 *       the log by {@code started_at}, so days and hours follow the asked zone's local clock (DST included) and each
 *       bucket is one range scan of the {@code started_at} index.</li>
 *   <li>Percentiles are nearest-rank ({@code ceil(p * n)}-th smallest), computed inside SQLite with window functions:
 *       only two rows per group and measure come back, whatever the group's size.</li>
 *   <li>Costs are summed in SQL as integer nano-dollars (each stored decimal rounded to 1e-9 USD), so sums are exact
 *       to that unit and never accumulate floating-point error.</li>
 *   <li>Fallback traffic without a credential (Vertex AI) is grouped under a credential id equal to its provider,
 *       {@code vertex-ai}; rows that reached no credential at all have none.</li>
 *   <li>An error is any row that is not a 2xx without an error class; unpriced rows are successful rows without a
 *       cost; the service tiers {@code default} and {@code auto} count as no tier.</li>
 *   <li>Totals and recent rows include the rows the request log holds but has not committed yet
 *       ({@link UnwrittenRows}), by the same rules, so a finished request counts at once. Grouped statistics and
 *       series read committed rows only: percentiles cannot be merged, and charts may trail by one batch.</li>
 * </ul>
 */
public final class SqlUsageStats implements UsageStatsPort, UsageSeriesPort {
    /** The most buckets one query may ask for (an hourly chart of about seven months). */
    public static final int MAX_BUCKETS = 5000;
    private static final BigDecimal NANOS = BigDecimal.ONE.movePointLeft(9);
    private static final DateTimeFormatter HOUR_LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmXXX");

    /** Group and series expressions: constants only, never user input. */
    private enum Expr {
        CREDENTIAL("COALESCE(r.credential_id, CASE WHEN r.provider = 'vertex-ai' THEN 'vertex-ai' END)"),
        CREDENTIAL_OR_PROVIDER("COALESCE(r.credential_id, r.provider)"),
        MODEL("CASE WHEN r.model = '' THEN 'unknown' ELSE r.model END"),
        CLIENT_KEY("COALESCE(r.client_key, 'open')"),
        BUCKET("b.label"),
        ALL("'all'");

        final String sql;

        Expr(String sql) {
            this.sql = sql;
        }
    }

    private static final String TIER = """
            CASE WHEN r.service_tier IS NULL OR lower(r.service_tier) IN ('', 'default', 'auto') THEN NULL
                 ELSE lower(r.service_tier) END""";

    private static final String SUMS = """
            sum(r.request_count) AS requests,
            sum(CASE WHEN r.status BETWEEN 200 AND 299 AND r.error_class IS NULL THEN 0 ELSE r.request_count END)
                AS errors,
            sum(CASE WHEN r.status BETWEEN 200 AND 299 AND r.error_class IS NULL AND r.cost_usd IS NULL
                     THEN r.request_count ELSE 0 END) AS unpriced,
            sum(r.input_tokens) AS input_tokens, sum(r.cached_input_tokens) AS cached_input_tokens,
            sum(r.cache_creation_tokens) AS cache_creation_tokens, sum(r.output_tokens) AS output_tokens,
            sum(r.reasoning_tokens) AS reasoning_tokens,
            COALESCE(sum(CAST(round(CAST(r.cost_usd AS DOUBLE PRECISION) * 1e9) AS BIGINT)), 0) AS cost_nanos""";

    private static final String FROM_BUCKETS = """
            FROM stat_buckets b
            CROSS JOIN request_log r WHERE r.started_at >= b.lo AND r.started_at < b.hi""";

    private static final String TOTALS_SQL = "SELECT <group> AS grp, <tier> AS tier, <model> AS mdl, " + SUMS + "\n"
            + FROM_BUCKETS + "\nGROUP BY grp, tier, mdl";

    private static final String STATS_SQL = "SELECT <group> AS grp, min(b.lo) AS first_lo, " + SUMS + "\n"
            + FROM_BUCKETS + "\nGROUP BY grp";

    /** Nearest rank: the {@code ceil(n * p / 100)}-th smallest, as integer arithmetic. */
    private static final String PERCENTILES_SQL = """
            WITH src AS (SELECT <group> AS grp, r.latency_ms AS latency, r.ttfb_ms AS ttfb
            """ + FROM_BUCKETS + """
             AND r.route <> 'rollup'
            ),
            lat AS (SELECT grp, latency AS v, row_number() OVER (PARTITION BY grp ORDER BY latency) AS rn,
                           count(*) OVER (PARTITION BY grp) AS n FROM src),
            fb AS (SELECT grp, ttfb AS v, row_number() OVER (PARTITION BY grp ORDER BY ttfb) AS rn,
                          count(*) OVER (PARTITION BY grp) AS n FROM src WHERE ttfb IS NOT NULL)
            SELECT grp, 'latency' AS measure, rn, n, v FROM lat
             WHERE rn = (n * 50 + 99) / 100 OR rn = (n * 95 + 99) / 100
            UNION ALL
            SELECT grp, 'ttfb' AS measure, rn, n, v FROM fb
             WHERE rn = (n * 50 + 99) / 100 OR rn = (n * 95 + 99) / 100
            """;

    private static final String SERIES_SQL = "SELECT b.lo AS bucket, <series> AS series, " + SUMS + "\n"
            + FROM_BUCKETS + "\nGROUP BY bucket, series ORDER BY bucket, series";

    private final Jdbi jdbi;
    private final UnwrittenRows unwritten;

    /** Committed rows only (the CLI, which writes no rows). */
    public SqlUsageStats(Jdbi jdbi) {
        this(jdbi, new UnwrittenRows());
    }

    /** Committed rows plus the request log's rows not written yet ({@link SqlRequestLog#unwritten()}). */
    public SqlUsageStats(Jdbi jdbi, UnwrittenRows unwritten) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.unwritten = Objects.requireNonNull(unwritten, "unwritten");
    }

    @Override
    public List<UsageTotals> totalsByCredential(Instant from, Instant to) {
        return totals(from, to, false);
    }

    @Override
    public List<UsageTotals> totalsByCredentialAndModel(Instant from, Instant to) {
        return totals(from, to, true);
    }

    private List<UsageTotals> totals(Instant from, Instant to, boolean byModel) {
        return unwritten.read(() -> storedTotals(from, to, byModel),
                (stored, rows) -> withUnwritten(stored, rows, from, to, byModel));
    }

    private List<UsageTotals> storedTotals(Instant from, Instant to, boolean byModel) {
        List<Span> one = List.of(new Span("", from.toEpochMilli(), to.toEpochMilli()));
        return withBuckets(one, h -> h.createQuery(TOTALS_SQL)
                .define("group", Expr.CREDENTIAL.sql)
                .define("tier", byModel ? TIER : "NULL")
                .define("model", byModel ? "r.model" : "NULL")
                .map((rs, ctx) -> new UsageTotals(Optional.ofNullable(rs.getString("grp")).map(CredentialId::new),
                        Optional.ofNullable(rs.getString("mdl")), Optional.ofNullable(rs.getString("tier")),
                        rs.getLong("requests"), rs.getLong("errors"), rs.getLong("unpriced"), tokens(rs),
                        cost(rs)))
                .list());
    }

    @Override
    public List<StatsRow> stats(GroupBy groupBy, Instant from, Instant to, ZoneId zone) {
        Objects.requireNonNull(groupBy, "groupBy");
        List<Span> buckets = switch (groupBy) {
            case DAY -> buckets(ChronoUnit.DAYS, from, to, zone);
            case HOUR -> buckets(ChronoUnit.HOURS, from, to, zone);
            case CREDENTIAL, MODEL, CLIENT_KEY -> List.of(new Span("", from.toEpochMilli(), to.toEpochMilli()));
        };
        String group = switch (groupBy) {
            case CREDENTIAL -> Expr.CREDENTIAL_OR_PROVIDER.sql;
            case MODEL -> Expr.MODEL.sql;
            case CLIENT_KEY -> Expr.CLIENT_KEY.sql;
            case DAY, HOUR -> Expr.BUCKET.sql;
        };
        return withBuckets(buckets, h -> {
            record Sums(String group, long firstLo, long requests, long errors, TokenUsage tokens, BigDecimal cost) {
            }
            List<Sums> sums = h.createQuery(STATS_SQL).define("group", group)
                    .map((rs, ctx) -> new Sums(rs.getString("grp"), rs.getLong("first_lo"), rs.getLong("requests"),
                            rs.getLong("errors"), tokens(rs), cost(rs)))
                    .list();
            Map<String, long[]> percentiles = new HashMap<>();
            h.createQuery(PERCENTILES_SQL).define("group", group).map((rs, ctx) -> {
                long n = rs.getLong("n");
                long rn = rs.getLong("rn");
                // slots: latency p50, latency p95, ttfb p50, ttfb p95 (-1 = none)
                long[] slots = percentiles.computeIfAbsent(rs.getString("grp"), g -> new long[]{-1, -1, -1, -1});
                int base = "latency".equals(rs.getString("measure")) ? 0 : 2;
                long value = rs.getLong("v");
                if (rn == (n * 50 + 99) / 100) {
                    slots[base] = value;
                }
                if (rn == (n * 95 + 99) / 100) {
                    slots[base + 1] = value;
                }
                return value;
            }).list();
            List<StatsRow> rows = new ArrayList<>(sums.size());
            List<Sums> ordered = new ArrayList<>(sums);
            ordered.sort(groupBy == GroupBy.DAY || groupBy == GroupBy.HOUR
                    ? Comparator.comparingLong(Sums::firstLo)
                    : Comparator.comparingLong(Sums::requests).reversed().thenComparing(Sums::group));
            for (Sums s : ordered) {
                long[] p = percentiles.getOrDefault(s.group(), new long[]{-1, -1, -1, -1});
                rows.add(new StatsRow(s.group(), s.requests(), s.errors(), s.tokens(), s.cost(), millis(p[0]),
                        millis(p[1]), millis(p[2]), millis(p[3])));
            }
            return rows;
        });
    }

    @Override
    public List<SeriesPoint> series(Bucket bucket, Split split, Instant from, Instant to, ZoneId zone) {
        List<Span> buckets = buckets(bucket == Bucket.DAY ? ChronoUnit.DAYS : ChronoUnit.HOURS,
                from, to, zone);
        Map<Long, Instant> starts = new LinkedHashMap<>();
        for (Span b : buckets) {
            starts.put(b.lo(), Instant.ofEpochMilli(b.start()));
        }
        String series = switch (split) {
            case NONE -> Expr.ALL.sql;
            case CREDENTIAL -> Expr.CREDENTIAL_OR_PROVIDER.sql;
            case MODEL -> Expr.MODEL.sql;
            case CLIENT_KEY -> Expr.CLIENT_KEY.sql;
        };
        return withBuckets(buckets, h -> h.createQuery(SERIES_SQL).define("series", series)
                .map((rs, ctx) -> new SeriesPoint(starts.get(rs.getLong("bucket")), rs.getString("series"),
                        rs.getLong("requests"), rs.getLong("errors"), tokens(rs), cost(rs)))
                .list());
    }

    @Override
    public List<RequestRecord> recent(int limit, Optional<CredentialId> credential) {
        if (limit <= 0) {
            return List.of();
        }
        return unwritten.read(() -> jdbi.withExtension(UsageStatsDao.class, dao -> credential.isPresent()
                                ? dao.recentOf(credential.get().value(), limit) : dao.recent(limit))
                        .stream().map(RowMapping::toRecord).toList(),
                (stored, rows) -> newest(stored, rows.stream()
                        .filter(r -> credential.isEmpty() || r.credential().equals(credential)).toList(), limit));
    }

    @Override
    public List<RequestRecord> recent(int limit, Optional<CredentialId> credential, Optional<String> clientKey) {
        if (clientKey.isEmpty()) {
            return recent(limit, credential);
        }
        if (limit <= 0) {
            return List.of();
        }
        String key = clientKey.get();
        return unwritten.read(() -> jdbi.withExtension(UsageStatsDao.class, dao -> dao.recentOfClientKey(key, limit))
                        .stream().map(RowMapping::toRecord)
                        .filter(r -> credential.isEmpty() || r.credential().equals(credential)).toList(),
                (stored, rows) -> newest(stored, rows.stream().filter(r -> r.clientKey().equals(key))
                        .filter(r -> credential.isEmpty() || r.credential().equals(credential)).toList(), limit));
    }

    // ---------------------------------------------------------------- rows not written yet

    /** The {@code limit} newest of both lists, newest first; unwritten rows read as they will once stored. */
    static List<RequestRecord> newest(List<RequestRecord> stored, List<RequestRecord> unwritten, int limit) {
        List<RequestRecord> all = new ArrayList<>(stored);
        unwritten.forEach(r -> all.add(RowMapping.toRecord(RowMapping.toRow(r))));
        all.sort(Comparator.comparing(RequestRecord::startedAt).reversed());
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    /** {@code stored} plus the unwritten rows started in {@code [from, to)}, grouped and summed as {@link #SUMS}. */
    private static List<UsageTotals> withUnwritten(List<UsageTotals> stored, List<RequestRecord> unwritten,
                                                   Instant from, Instant to, boolean byModel) {
        record Key(Optional<CredentialId> credential, Optional<String> model, Optional<String> tier) {
        }
        Map<Key, UsageTotals> sums = new LinkedHashMap<>();
        for (UsageTotals t : stored) {
            sums.put(new Key(t.credential(), t.model(), t.serviceTier()), t);
        }
        long lo = from.toEpochMilli();
        long hi = to.toEpochMilli();
        for (RequestRecord r : unwritten) {
            long started = r.startedAt().toEpochMilli();
            if (started < lo || started >= hi) {
                continue;
            }
            Optional<CredentialId> credential = r.credential().or(() -> "vertex-ai".equals(r.provider())
                    ? Optional.of(new CredentialId("vertex-ai")) : Optional.empty());
            Optional<String> model = byModel ? Optional.of(Objects.requireNonNullElse(r.model(), ""))
                    : Optional.empty();
            Optional<String> tier = byModel ? r.serviceTier().map(t -> t.toLowerCase(java.util.Locale.ROOT))
                    .filter(t -> !t.isEmpty() && !t.equals("default") && !t.equals("auto")) : Optional.empty();
            UsageTotals one = new UsageTotals(credential, model, tier, 1, r.success() ? 0 : 1,
                    r.success() && r.costUsd().isEmpty() ? 1 : 0, r.tokens(),
                    r.costUsd().map(c -> nanos(Math.round(c.doubleValue() * 1e9))).orElse(BigDecimal.ZERO));
            sums.merge(new Key(credential, model, tier), one, (a, b) -> new UsageTotals(a.credential(), a.model(),
                    a.serviceTier(), a.requests() + b.requests(), a.errors() + b.errors(),
                    a.unpriced() + b.unpriced(), a.tokens().plus(b.tokens()), a.costUsd().add(b.costUsd())
                    .stripTrailingZeros()));
        }
        return List.copyOf(sums.values());
    }

    private static BigDecimal nanos(long nanos) {
        return BigDecimal.valueOf(nanos).multiply(NANOS).stripTrailingZeros();
    }

    // ---------------------------------------------------------------- buckets

    /**
     * A time bucket: rows with {@code lo <= started_at < hi} (the bucket clipped to the asked range); {@code start}
     * is the unclipped local start, which charts use as the x value.
     */
    private record Span(String label, long lo, long hi, long start) {
        Span(String label, long lo, long hi) {
            this(label, lo, hi, lo);
        }
    }

    private static List<Span> buckets(ChronoUnit unit, Instant from, Instant to, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (!from.isBefore(to)) {
            return List.of();
        }
        ZonedDateTime start = from.atZone(zone);
        start = unit == ChronoUnit.DAYS ? start.toLocalDate().atStartOfDay(zone) : start.truncatedTo(ChronoUnit.HOURS);
        List<Span> out = new ArrayList<>();
        while (start.toInstant().isBefore(to)) {
            ZonedDateTime next = unit == ChronoUnit.DAYS ? start.toLocalDate().plusDays(1).atStartOfDay(zone)
                    : start.plusHours(1);
            if (out.size() >= MAX_BUCKETS) {
                throw new IllegalArgumentException("the range holds more than " + MAX_BUCKETS + " "
                        + unit.toString().toLowerCase(java.util.Locale.ROOT) + "; narrow it or group by day");
            }
            long lo = Math.max(start.toInstant().toEpochMilli(), from.toEpochMilli());
            long hi = Math.min(next.toInstant().toEpochMilli(), to.toEpochMilli());
            String label = unit == ChronoUnit.DAYS ? start.toLocalDate().toString() : HOUR_LABEL.format(start);
            out.add(new Span(label, lo, hi, start.toInstant().toEpochMilli()));
            start = next;
        }
        return out;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Handle handle);
    }

    /** Fills this connection's bucket table, runs {@code work} on the same connection, and empties it again. */
    private <T> T withBuckets(List<Span> buckets, Work<T> work) {
        return jdbi.withHandle(h -> {
            h.execute("CREATE TEMP TABLE IF NOT EXISTS stat_buckets (label TEXT NOT NULL, lo BIGINT NOT NULL, "
                    + "hi BIGINT NOT NULL)");
            h.execute("DELETE FROM stat_buckets");
            try {
                if (!buckets.isEmpty()) {
                    PreparedBatch batch = h.prepareBatch(
                            "INSERT INTO stat_buckets (label, lo, hi) VALUES (:label, :lo, :hi)");
                    for (Span b : buckets) {
                        batch.bind("label", b.label()).bind("lo", b.lo()).bind("hi", b.hi()).add();
                    }
                    batch.execute();
                }
                return work.run(h);
            } finally {
                h.execute("DELETE FROM stat_buckets");
            }
        });
    }

    private static TokenUsage tokens(ResultSet rs) throws SQLException {
        return new TokenUsage(rs.getLong("input_tokens"), rs.getLong("cached_input_tokens"),
                rs.getLong("cache_creation_tokens"), rs.getLong("output_tokens"), rs.getLong("reasoning_tokens"));
    }

    private static BigDecimal cost(ResultSet rs) throws SQLException {
        return nanos(rs.getLong("cost_nanos"));
    }

    private static Duration millis(long value) {
        return value < 0 ? Duration.ZERO : Duration.ofMillis(value);
    }
}
