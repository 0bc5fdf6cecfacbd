package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.RequestLogRetentionPort;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Folds old request-log rows into daily roll-up rows (route {@code rollup}) in the same table, so every query that
 * sums {@code request_count}, tokens and cost keeps its totals. Plain SQL that runs on SQLite and PostgreSQL; the
 * cost is summed as integer nano-dollars and written back as an exact decimal.
 *
 * <p>One day is folded per transaction, oldest first. On SQLite only one connection writes at a time, and the
 * request-log writer waits at most its busy timeout for a turn: a whole year's fold in one transaction would hold it
 * off for many seconds (its rows then wait in memory and health reports the log degraded), while a day's fold is
 * short. Each day's transaction starts by writing, so it holds the write lock before it reads the rows it folds; a
 * transaction that read first could not write any more once the writer had committed in between (SQLite's
 * {@code SQLITE_BUSY_SNAPSHOT}), and on a server under load every pass failed that way. A day either folds whole or
 * not at all, so a pass cut short leaves totals right and the next pass goes on.
 */
public final class SqlRequestLogRetention implements RequestLogRetentionPort {
    private static final String GROUPS = """
            SELECT min(started_at) AS started_at, provider, credential_id, model, service_tier, client_key,
                   CASE WHEN status BETWEEN 200 AND 299 AND error_class IS NULL THEN 1 ELSE 0 END AS ok,
                   CASE WHEN cost_usd IS NULL THEN 0 ELSE 1 END AS priced,
                   sum(input_tokens) AS input_tokens, sum(cached_input_tokens) AS cached_input_tokens,
                   sum(cache_creation_tokens) AS cache_creation_tokens, sum(output_tokens) AS output_tokens,
                   sum(reasoning_tokens) AS reasoning_tokens,
                   COALESCE(sum(CAST(round(CAST(cost_usd AS DOUBLE PRECISION) * 1e9) AS BIGINT)), 0) AS cost_nanos,
                   sum(latency_ms * request_count) / sum(request_count) AS latency_ms,
                   CAST(avg(ttfb_ms) AS BIGINT) AS ttfb_ms, sum(request_count) AS request_count
              FROM request_log
             WHERE started_at >= :from AND started_at < :until AND route <> 'rollup'
             GROUP BY (started_at + :offset_ms) / 86400000, provider, credential_id, model, service_tier, client_key,
                      CASE WHEN status BETWEEN 200 AND 299 AND error_class IS NULL THEN 1 ELSE 0 END,
                      CASE WHEN cost_usd IS NULL THEN 0 ELSE 1 END
            """;

    private static final String INSERT = """
            INSERT INTO request_log (id, started_at, route, provider, credential_id, model, service_tier, status,
                input_tokens, cached_input_tokens, cache_creation_tokens, output_tokens, reasoning_tokens, cost_usd,
                latency_ms, ttfb_ms, error_class, incomplete, routing_note, request_count, client_key)
            VALUES ('rollup', :started_at, 'rollup', :provider, :credential_id, :model, :service_tier, :status,
                :input_tokens, :cached_input_tokens, :cache_creation_tokens, :output_tokens, :reasoning_tokens,
                :cost_usd, :latency_ms, :ttfb_ms, :error_class, 0, 'daily roll-up', :request_count, :client_key)
            """;

    private static final String DELETE = """
            DELETE FROM request_log WHERE started_at >= :from AND started_at < :until AND route <> 'rollup'
            """;

    private static final String OLDEST = """
            SELECT min(started_at) FROM request_log WHERE started_at >= :from AND started_at < :until
               AND route <> 'rollup'
            """;

    /** Changes nothing, but as a write it makes the transaction a writing one from its first statement. */
    private static final String TAKE_WRITE_LOCK = "UPDATE request_log SET request_count = request_count WHERE 1 = 0";

    private static final long DAY_MILLIS = 86_400_000L;

    private final Jdbi jdbi;

    public SqlRequestLogRetention(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public long rollUpBefore(Instant cutoff, ZoneOffset offset) {
        long until = cutoff.toEpochMilli();
        long offsetMillis = offset.getTotalSeconds() * 1000L;
        long folded = 0;
        Long oldest = oldest(Long.MIN_VALUE, until);
        while (oldest != null) {
            // The day (in the roll-ups' zone) the oldest row left falls in; the last one ends at the cutoff.
            long dayStart = Math.floorDiv(oldest + offsetMillis, DAY_MILLIS) * DAY_MILLIS - offsetMillis;
            long dayEnd = Math.min(until, dayStart + DAY_MILLIS);
            folded += foldDay(dayStart, dayEnd, offsetMillis);
            oldest = oldest(dayEnd, until);
        }
        return folded;
    }

    private Long oldest(long from, long until) {
        return jdbi.withHandle(h -> h.createQuery(OLDEST).bind("from", from).bind("until", until)
                .mapTo(Long.class).findOne().orElse(null));
    }

    private long foldDay(long from, long until, long offsetMillis) {
        return jdbi.inTransaction(h -> {
            h.createUpdate(TAKE_WRITE_LOCK).execute();
            List<Map<String, Object>> groups = h.createQuery(GROUPS).bind("from", from).bind("until", until)
                    .bind("offset_ms", offsetMillis).mapToMap().list();
            insert(h, groups);
            return (long) h.createUpdate(DELETE).bind("from", from).bind("until", until).execute();
        });
    }

    private static void insert(Handle h, List<Map<String, Object>> groups) {
        if (groups.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch(INSERT);
        for (Map<String, Object> g : groups) {
            boolean ok = number(g, "ok") == 1;
            batch.bind("started_at", number(g, "started_at"))
                    .bind("provider", (String) g.get("provider"))
                    .bind("credential_id", (String) g.get("credential_id"))
                    .bind("model", (String) g.get("model"))
                    .bind("service_tier", (String) g.get("service_tier"))
                    .bind("status", ok ? 200 : 599)
                    .bind("input_tokens", number(g, "input_tokens"))
                    .bind("cached_input_tokens", number(g, "cached_input_tokens"))
                    .bind("cache_creation_tokens", number(g, "cache_creation_tokens"))
                    .bind("output_tokens", number(g, "output_tokens"))
                    .bind("reasoning_tokens", number(g, "reasoning_tokens"))
                    .bind("cost_usd", number(g, "priced") == 1
                            ? BigDecimal.valueOf(number(g, "cost_nanos"), 9).stripTrailingZeros().toPlainString() : null)
                    .bind("latency_ms", number(g, "latency_ms"))
                    .bind("ttfb_ms", g.get("ttfb_ms") == null ? null : number(g, "ttfb_ms"))
                    .bind("error_class", ok ? null : "rollup")
                    .bind("request_count", number(g, "request_count"))
                    .bind("client_key", (String) g.get("client_key"))
                    .add();
        }
        batch.execute();
    }

    private static long number(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
