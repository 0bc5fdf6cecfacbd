package io.proxygate.adapter.out.persistence.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums request-log rows into {@code usage_summary} (migration V9): per hour and per UTC day, for all rows together and
 * by credential, model and client key, the request and error counts, tokens, cost and latency/TTFB histograms
 * ({@link UsageHistogram}). {@link SqlUsageStats} reads statistics and charts from it instead of every row.
 *
 * <p>Rows are gathered in memory first ({@link #add}) and written with one additive upsert per summary row
 * ({@link #write}), in key order, so two instances adding to the same rows of a shared PostgreSQL database lock them
 * in the same order and never deadlock.
 */
final class UsageSummary {
    static final long HOUR_MS = 3_600_000L;
    static final long DAY_MS = 86_400_000L;

    static final String DIM_ALL = "all";
    static final String DIM_CREDENTIAL = "credential";
    static final String DIM_MODEL = "model";
    static final String DIM_CLIENT_KEY = "client_key";

    /** The summed columns, in the order of {@link Cell#sums}. */
    static final List<String> SUM_COLUMNS = List.of("requests", "errors", "input_tokens", "cached_input_tokens",
            "cache_creation_tokens", "output_tokens", "reasoning_tokens", "cost_nanos");

    static final String UPSERT = upsert();

    private record Key(long periodMs, String dim, long periodStart, String value) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::periodMs).thenComparing(Key::dim)
            .thenComparingLong(Key::periodStart).thenComparing(Key::value);

    /** The sums of one summary row. */
    static final class Cell {
        final long[] sums = new long[SUM_COLUMNS.size()];
        final long[] latency = new long[UsageHistogram.BUCKETS];
        final long[] ttfb = new long[UsageHistogram.BUCKETS];
    }

    private final Map<Key, Cell> cells = new TreeMap<>(ORDER);

    /** The column of histogram bucket {@code i} of {@code measure} ({@code latency} or {@code ttfb}). */
    static String histogramColumn(String measure, int i) {
        return measure + "_" + i;
    }

    private static String upsert() {
        List<String> columns = new ArrayList<>(List.of("period_ms", "dim", "period_start", "value"));
        List<String> added = new ArrayList<>(SUM_COLUMNS);
        for (String measure : List.of("latency", "ttfb")) {
            for (int i = 0; i < UsageHistogram.BUCKETS; i++) {
                added.add(histogramColumn(measure, i));
            }
        }
        columns.addAll(added);
        StringBuilder sql = new StringBuilder("INSERT INTO usage_summary (").append(String.join(", ", columns))
                .append(") VALUES (").append(String.join(", ", java.util.Collections.nCopies(columns.size(), "?")))
                .append(") ON CONFLICT (period_ms, dim, period_start, value) DO UPDATE SET ");
        for (int i = 0; i < added.size(); i++) {
            String c = added.get(i);
            sql.append(i == 0 ? "" : ", ").append(c).append(" = usage_summary.").append(c).append(" + excluded.")
                    .append(c);
        }
        return sql.toString();
    }

    boolean isEmpty() {
        return cells.isEmpty();
    }

    /** Summary rows gathered so far. */
    int size() {
        return cells.size();
    }

    /** Adds one row as the request log writes it ({@code request_count} 1). */
    void add(RequestLogRow row) {
        add(row.startedAt(), row.route(), row.provider(), row.credentialId(), row.model(), row.status(),
                row.errorClass(), new long[]{row.inputTokens(), row.cachedInputTokens(), row.cacheCreationTokens(),
                        row.outputTokens(), row.reasoningTokens()}, row.costUsd(), row.latencyMs(), row.ttfbMs(), 1,
                row.clientKey());
    }

    /**
     * Adds one {@code request_log} row by the rules of the statistics: a request counts {@code requestCount} times;
     * an error is any row that is not a 2xx without an error class; histograms take ordinary rows only (a roll-up's
     * latency is an average, not a request's).
     */
    void add(long startedAt, String route, String provider, String credentialId, String model, int status,
             String errorClass, long[] tokens, String costUsd, long latencyMs, Long ttfbMs, long requestCount,
             String clientKey) {
        boolean ok = status >= 200 && status <= 299 && errorClass == null;
        long costNanos = costUsd == null ? 0 : Math.round(Double.parseDouble(costUsd) * 1e9);
        boolean rollup = "rollup".equals(route);
        int latencyBucket = UsageHistogram.bucket(latencyMs);
        int ttfbBucket = ttfbMs == null ? -1 : UsageHistogram.bucket(ttfbMs);
        String[] dims = {DIM_ALL, DIM_CREDENTIAL, DIM_MODEL, DIM_CLIENT_KEY};
        String[] values = {"all", credentialId != null ? credentialId : provider,
                model == null || model.isEmpty() ? "unknown" : model, clientKey != null ? clientKey : "open"};
        for (long period : new long[]{HOUR_MS, DAY_MS}) {
            long start = Math.floorDiv(startedAt, period) * period;
            for (int d = 0; d < dims.length; d++) {
                Cell cell = cells.computeIfAbsent(new Key(period, dims[d], start, values[d]), k -> new Cell());
                cell.sums[0] += requestCount;
                cell.sums[1] += ok ? 0 : requestCount;
                for (int t = 0; t < tokens.length; t++) {
                    cell.sums[2 + t] += tokens[t];
                }
                cell.sums[7] += costNanos;
                if (!rollup) {
                    cell.latency[latencyBucket]++;
                    if (ttfbBucket >= 0) {
                        cell.ttfb[ttfbBucket]++;
                    }
                }
            }
        }
    }

    /**
     * Adds everything gathered to the table, on {@code connection} and in its transaction, and starts over; the
     * upsert is prepared through {@code statements}, which keeps it for the next write.
     */
    void write(Connection connection, StatementCache statements) throws SQLException {
        if (cells.isEmpty()) {
            return;
        }
        PreparedStatement upsert = statements.prepare(connection, UPSERT);
        for (Map.Entry<Key, Cell> e : cells.entrySet()) {
            Key k = e.getKey();
            Cell c = e.getValue();
            int i = 0;
            upsert.setLong(++i, k.periodMs());
            upsert.setString(++i, k.dim());
            upsert.setLong(++i, k.periodStart());
            upsert.setString(++i, k.value());
            for (long v : c.sums) {
                upsert.setLong(++i, v);
            }
            for (long v : c.latency) {
                upsert.setLong(++i, v);
            }
            for (long v : c.ttfb) {
                upsert.setLong(++i, v);
            }
            upsert.addBatch();
        }
        upsert.executeBatch();
        cells.clear();
    }
}
