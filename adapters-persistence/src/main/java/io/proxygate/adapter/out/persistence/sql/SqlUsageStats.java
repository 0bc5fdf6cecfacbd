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
import java.util.function.BiConsumer;

/**
 * Reads usage out of the {@code request_log} table: totals, grouped statistics with percentiles, chart series and
 * recent rows.
 *
 * <ul>
 *   <li>Every query runs over a small per-connection table of time buckets (temporary tables {@code stat_buckets} and
 *       {@code stat_pieces}), so days and hours follow the asked zone's local clock (DST included).</li>
 *   <li>Grouped statistics and series read the usage summary ({@link UsageSummary}, migration V9) for the whole UTC
 *       days and hours of each bucket, and {@code request_log} only for the rest (part hours at the ends of the
 *       range, or of buckets in zones whose offset is not whole hours): their cost follows the number of hours, not
 *       of requests. Totals still read the rows (today's, for the usage views).</li>
 *   <li>Percentiles are nearest-rank ({@code ceil(p * n)}-th smallest) over merged fixed-bucket histograms
 *       ({@link UsageHistogram}): the middle of the bucket holding the exact value, within 10 % of it. Roll-up rows
 *       have no latency of a request and are left out, as before.</li>
 *   <li>Costs are summed in SQL as integer nano-dollars (each stored decimal rounded to 1e-9 USD), so sums are exact
 *       to that unit and never accumulate floating-point error.</li>
 *   <li>Fallback traffic without a credential (Vertex AI) is grouped under a credential id equal to its provider,
 *       {@code vertex-ai}; rows that reached no credential at all have none.</li>
 *   <li>An error is any row that is not a 2xx without an error class; unpriced rows are successful rows without a
 *       cost; the service tiers {@code default} and {@code auto} count as no tier.</li>
 *   <li>Totals and recent rows include the rows the request log holds but has not committed yet
 *       ({@link UnwrittenRows}), by the same rules, so a finished request counts at once. Grouped statistics and
 *       series read committed rows (and the summary committed with them) only: they may trail by one batch.</li>
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

    /** The histogram columns of {@code usage_summary}, summed. */
    private static final String HISTOGRAM_SUMS = histogramSums();

    private static String histogramSums() {
        StringBuilder out = new StringBuilder();
        for (String measure : List.of("latency", "ttfb")) {
            for (int i = 0; i < UsageHistogram.BUCKETS; i++) {
                String c = UsageSummary.histogramColumn(measure, i);
                out.append(",\n    sum(s.").append(c).append(") AS ").append(c);
            }
        }
        return out.toString();
    }

    private static final String SUMMARY_SUMS = """
            min(b.lo) AS first_lo, sum(s.requests) AS requests, sum(s.errors) AS errors,
            sum(s.input_tokens) AS input_tokens, sum(s.cached_input_tokens) AS cached_input_tokens,
            sum(s.cache_creation_tokens) AS cache_creation_tokens, sum(s.output_tokens) AS output_tokens,
            sum(s.reasoning_tokens) AS reasoning_tokens, sum(s.cost_nanos) AS cost_nanos""";

    /** Whole UTC days and hours of the range, from the summary (migration V9); CROSS JOIN keeps the pieces outer. */
    private static final String FROM_SUMMARY = """
            FROM stat_pieces b
            CROSS JOIN usage_summary s
            WHERE b.period_ms > 0 AND s.period_ms = b.period_ms AND s.dim = :dim
              AND s.period_start >= b.lo AND s.period_start < b.hi""";

    /**
     * The rest of the range (the parts of hours at its ends, or of buckets that do not start on a UTC hour), from the
     * rows themselves. Roll-up rows are left out here: they stand for whole days folded by retention, whose requests
     * the summary already holds in their own hours.
     */
    private static final String FROM_RAW = """
            FROM stat_pieces b
            CROSS JOIN request_log r
            WHERE b.period_ms = 0 AND r.started_at >= b.lo AND r.started_at < b.hi AND r.route <> 'rollup'""";

    private static final String SUMMARY_STATS_SQL = "SELECT <group> AS grp, " + SUMMARY_SUMS + HISTOGRAM_SUMS
            + "\n" + FROM_SUMMARY + "\nGROUP BY grp";

    /** The part-hour rows one by one, read once for both their sums and their histograms. */
    private static final String RAW_ROWS_SQL = """
            SELECT <group> AS grp, b.lo AS first_lo, r.request_count, r.status, r.error_class, r.input_tokens,
                   r.cached_input_tokens, r.cache_creation_tokens, r.output_tokens, r.reasoning_tokens, r.cost_usd,
                   r.latency_ms, r.ttfb_ms
            """ + FROM_RAW;

    private static final String SUMMARY_SERIES_SQL = "SELECT b.start AS bucket, <series> AS series, " + SUMMARY_SUMS
            + "\n" + FROM_SUMMARY + "\nGROUP BY bucket, series";

    private static final String RAW_SERIES_SQL = "SELECT b.start AS bucket, <series> AS series, "
            + "min(b.lo) AS first_lo, " + SUMS + "\n" + FROM_RAW + "\nGROUP BY bucket, series";

    /** What statistics group by: the summary's dimension and value, and the same grouping over raw rows. */
    private enum Dimension {
        ALL(UsageSummary.DIM_ALL, "s.value", Expr.ALL.sql),
        CREDENTIAL(UsageSummary.DIM_CREDENTIAL, "s.value", Expr.CREDENTIAL_OR_PROVIDER.sql),
        MODEL(UsageSummary.DIM_MODEL, "s.value", Expr.MODEL.sql),
        CLIENT_KEY(UsageSummary.DIM_CLIENT_KEY, "s.value", Expr.CLIENT_KEY.sql),
        /** Days or hours of the asked zone: every row, grouped by its bucket's label. */
        BUCKET(UsageSummary.DIM_ALL, "b.label", Expr.BUCKET.sql);

        final String dim;
        final String summary;
        final String raw;

        Dimension(String dim, String summary, String raw) {
            this.dim = dim;
            this.summary = summary;
            this.raw = raw;
        }
    }

    private final Jdbi jdbi;
    private final UnwrittenRows unwritten;
    /** Whether the database is PostgreSQL; found out on first use. */
    private volatile Boolean postgres;

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
            case CREDENTIAL, MODEL, CLIENT_KEY -> from.isBefore(to)
                    ? List.of(new Span("", from.toEpochMilli(), to.toEpochMilli())) : List.of();
        };
        Dimension dim = switch (groupBy) {
            case CREDENTIAL -> Dimension.CREDENTIAL;
            case MODEL -> Dimension.MODEL;
            case CLIENT_KEY -> Dimension.CLIENT_KEY;
            case DAY, HOUR -> Dimension.BUCKET;
        };
        return withPieces(buckets, h -> {
            Map<String, Group> groups = new HashMap<>();
            h.createQuery(SUMMARY_STATS_SQL).define("group", dim.summary).bind("dim", dim.dim)
                    .map((rs, ctx) -> {
                        Group g = groups.computeIfAbsent(rs.getString("grp"), Group::new);
                        g.add(rs);
                        for (int i = 0; i < UsageHistogram.BUCKETS; i++) {
                            g.latency[i] += rs.getLong(UsageSummary.histogramColumn("latency", i));
                            g.ttfb[i] += rs.getLong(UsageSummary.histogramColumn("ttfb", i));
                        }
                        return g;
                    }).list();
            h.createQuery(RAW_ROWS_SQL).define("group", dim.raw).map((rs, ctx) -> {
                Group g = groups.computeIfAbsent(rs.getString("grp"), Group::new);
                g.addRow(rs);
                return g;
            }).list();
            List<Group> ordered = new ArrayList<>(groups.values());
            ordered.sort(groupBy == GroupBy.DAY || groupBy == GroupBy.HOUR
                    ? Comparator.comparingLong((Group g) -> g.firstLo)
                    : Comparator.comparingLong((Group g) -> g.requests).reversed().thenComparing(g -> g.name));
            List<StatsRow> rows = new ArrayList<>(ordered.size());
            for (Group g : ordered) {
                rows.add(new StatsRow(g.name, g.requests, g.errors, g.tokens(), nanos(g.costNanos),
                        UsageHistogram.percentile(g.latency, 50), UsageHistogram.percentile(g.latency, 95),
                        UsageHistogram.percentile(g.ttfb, 50), UsageHistogram.percentile(g.ttfb, 95)));
            }
            return rows;
        });
    }

    @Override
    public List<SeriesPoint> series(Bucket bucket, Split split, Instant from, Instant to, ZoneId zone) {
        List<Span> buckets = buckets(bucket == Bucket.DAY ? ChronoUnit.DAYS : ChronoUnit.HOURS,
                from, to, zone);
        Dimension dim = switch (split) {
            case NONE -> Dimension.ALL;
            case CREDENTIAL -> Dimension.CREDENTIAL;
            case MODEL -> Dimension.MODEL;
            case CLIENT_KEY -> Dimension.CLIENT_KEY;
        };
        return withPieces(buckets, h -> {
            record Point(long start, String series) {
            }
            Map<Point, Group> points = new HashMap<>();
            h.createQuery(SUMMARY_SERIES_SQL).define("series", dim.summary).bind("dim", dim.dim)
                    .map((rs, ctx) -> points.computeIfAbsent(new Point(rs.getLong("bucket"), rs.getString("series")),
                            p -> new Group(p.series())).add(rs)).list();
            h.createQuery(RAW_SERIES_SQL).define("series", dim.raw)
                    .map((rs, ctx) -> points.computeIfAbsent(new Point(rs.getLong("bucket"), rs.getString("series")),
                            p -> new Group(p.series())).add(rs)).list();
            return points.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<Point, Group> e) -> e.getKey().start())
                            .thenComparing(e -> e.getKey().series()))
                    .map(e -> new SeriesPoint(Instant.ofEpochMilli(e.getKey().start()), e.getKey().series(),
                            e.getValue().requests, e.getValue().errors, e.getValue().tokens(),
                            nanos(e.getValue().costNanos)))
                    .toList();
        });
    }

    /** One group's (or chart point's) sums, gathered from summary rows and raw rows. */
    private static final class Group {
        final String name;
        long firstLo = Long.MAX_VALUE;
        long requests;
        long errors;
        final long[] tokens = new long[5];
        long costNanos;
        final long[] latency = new long[UsageHistogram.BUCKETS];
        final long[] ttfb = new long[UsageHistogram.BUCKETS];

        Group(String name) {
            this.name = name;
        }

        Group add(ResultSet rs) throws SQLException {
            firstLo = Math.min(firstLo, rs.getLong("first_lo"));
            requests += rs.getLong("requests");
            errors += rs.getLong("errors");
            tokens[0] += rs.getLong("input_tokens");
            tokens[1] += rs.getLong("cached_input_tokens");
            tokens[2] += rs.getLong("cache_creation_tokens");
            tokens[3] += rs.getLong("output_tokens");
            tokens[4] += rs.getLong("reasoning_tokens");
            costNanos += rs.getLong("cost_nanos");
            return this;
        }

        /** One {@code request_log} row, by the rules of {@link #SUMS} (the summary's, {@link UsageSummary#add}). */
        void addRow(ResultSet rs) throws SQLException {
            firstLo = Math.min(firstLo, rs.getLong("first_lo"));
            long count = rs.getLong("request_count");
            int status = rs.getInt("status");
            boolean ok = status >= 200 && status <= 299 && rs.getString("error_class") == null;
            requests += count;
            errors += ok ? 0 : count;
            tokens[0] += rs.getLong("input_tokens");
            tokens[1] += rs.getLong("cached_input_tokens");
            tokens[2] += rs.getLong("cache_creation_tokens");
            tokens[3] += rs.getLong("output_tokens");
            tokens[4] += rs.getLong("reasoning_tokens");
            String cost = rs.getString("cost_usd");
            costNanos += cost == null ? 0 : Math.round(Double.parseDouble(cost) * 1e9);
            latency[UsageHistogram.bucket(rs.getLong("latency_ms"))]++;
            long firstByte = rs.getLong("ttfb_ms");
            if (!rs.wasNull()) {
                ttfb[UsageHistogram.bucket(firstByte)]++;
            }
        }

        TokenUsage tokens() {
            return new TokenUsage(tokens[0], tokens[1], tokens[2], tokens[3], tokens[4]);
        }
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
        return withTempRows("stat_buckets", "label TEXT NOT NULL, lo BIGINT NOT NULL, hi BIGINT NOT NULL",
                "INSERT INTO stat_buckets (label, lo, hi) VALUES (:label, :lo, :hi)", buckets,
                (batch, b) -> batch.bind("label", b.label()).bind("lo", b.lo()).bind("hi", b.hi()), work);
    }

    /**
     * Fills this connection's temporary {@code table} (made with {@code columns} when missing) with {@code rows}
     * through {@code insert}, runs {@code work} on the same connection, and empties the table again.
     */
    private <R, T> T withTempRows(String table, String columns, String insert, List<R> rows,
                                  BiConsumer<PreparedBatch, R> bind, Work<T> work) {
        return jdbi.withHandle(h -> {
            h.execute("CREATE TEMP TABLE IF NOT EXISTS " + table + " (" + columns + ")");
            h.execute("DELETE FROM " + table);
            try {
                if (!rows.isEmpty()) {
                    PreparedBatch batch = h.prepareBatch(insert);
                    for (R row : rows) {
                        bind.accept(batch, row);
                        batch.add();
                    }
                    batch.execute();
                }
                analyze(h, table);
                return work.run(h);
            } finally {
                h.execute("DELETE FROM " + table);
            }
        });
    }

    /**
     * Part of a bucket: {@code [lo, hi)} read from the summary's rows of {@code periodMs} (whole UTC days or hours),
     * or from {@code request_log} when {@code periodMs} is 0.
     */
    private record Piece(String label, long lo, long hi, long start, long periodMs) {
    }

    /**
     * Splits a bucket into whole UTC days and hours (from the summary) and the ends that are parts of an hour (from
     * the rows): a range of 30 days reads ~29 day rows, ~47 hour rows and the rows of two part hours per value.
     */
    private static void split(String label, long lo, long hi, long start, List<Piece> out) {
        long hourLo = ceil(lo, UsageSummary.HOUR_MS);
        long hourHi = Math.floorDiv(hi, UsageSummary.HOUR_MS) * UsageSummary.HOUR_MS;
        if (hourLo >= hourHi) {
            out.add(new Piece(label, lo, hi, start, 0));
            return;
        }
        if (lo < hourLo) {
            out.add(new Piece(label, lo, hourLo, start, 0));
        }
        if (hourHi < hi) {
            out.add(new Piece(label, hourHi, hi, start, 0));
        }
        long dayLo = ceil(hourLo, UsageSummary.DAY_MS);
        long dayHi = Math.floorDiv(hourHi, UsageSummary.DAY_MS) * UsageSummary.DAY_MS;
        if (dayLo >= dayHi) {
            out.add(new Piece(label, hourLo, hourHi, start, UsageSummary.HOUR_MS));
            return;
        }
        out.add(new Piece(label, dayLo, dayHi, start, UsageSummary.DAY_MS));
        if (hourLo < dayLo) {
            out.add(new Piece(label, hourLo, dayLo, start, UsageSummary.HOUR_MS));
        }
        if (dayHi < hourHi) {
            out.add(new Piece(label, dayHi, hourHi, start, UsageSummary.HOUR_MS));
        }
    }

    /**
     * PostgreSQL never analyses temporary tables by itself; without row counts it guesses hundreds of buckets and
     * joins them by scanning the whole summary (or log) instead of looking each bucket up in its index. SQLite plans
     * these joins by their CROSS JOIN order and needs nothing.
     */
    private void analyze(Handle h, String table) {
        if (postgres == null) {
            try {
                postgres = "PostgreSQL".equalsIgnoreCase(h.getConnection().getMetaData().getDatabaseProductName());
            } catch (SQLException e) {
                postgres = false;
            }
        }
        if (postgres) {
            h.execute("ANALYZE " + table);
        }
    }

    private static long ceil(long value, long unit) {
        return -Math.floorDiv(-value, unit) * unit;
    }

    /** Fills this connection's piece table with the buckets' pieces, runs {@code work}, and empties it again. */
    private <T> T withPieces(List<Span> buckets, Work<T> work) {
        List<Piece> pieces = new ArrayList<>();
        for (Span b : buckets) {
            split(b.label(), b.lo(), b.hi(), b.start(), pieces);
        }
        return withTempRows("stat_pieces", "label TEXT NOT NULL, lo BIGINT NOT NULL, hi BIGINT NOT NULL, "
                        + "start BIGINT NOT NULL, period_ms BIGINT NOT NULL",
                "INSERT INTO stat_pieces (label, lo, hi, start, period_ms) "
                        + "VALUES (:label, :lo, :hi, :start, :period_ms)",
                pieces, (batch, p) -> batch.bind("label", p.label()).bind("lo", p.lo()).bind("hi", p.hi())
                        .bind("start", p.start()).bind("period_ms", p.periodMs()), work);
    }

    private static TokenUsage tokens(ResultSet rs) throws SQLException {
        return new TokenUsage(rs.getLong("input_tokens"), rs.getLong("cached_input_tokens"),
                rs.getLong("cache_creation_tokens"), rs.getLong("output_tokens"), rs.getLong("reasoning_tokens"));
    }

    private static BigDecimal cost(ResultSet rs) throws SQLException {
        return nanos(rs.getLong("cost_nanos"));
    }
}
