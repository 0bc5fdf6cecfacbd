package io.proxygate.benchmarks;

import io.proxygate.adapter.out.persistence.sql.Databases;
import io.proxygate.adapter.out.persistence.sql.SqlRequestLog;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.usage.TokenUsage;
import org.jdbi.v3.core.Jdbi;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Does the request log's writer keep up? Appends rows at a fixed rate through the real {@link SqlRequestLog} (the
 * production batch size and delay, the usage summary upserts included) and prints, every 10 seconds, how many rows
 * are still pending (queued plus waiting), dropped and written. Kept up means: nothing dropped and the pending count
 * stays around one batch window instead of growing.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.proxygate.benchmarks.RequestLogWriteRate JDBC_URL [RATE] [SECONDS]</pre>
 * (run by {@code testdata/bench/writer-rate.sh}). A plain program rather than a JMH benchmark: what matters is a
 * rate held for minutes, not the cost of one call.
 */
public final class RequestLogWriteRate {
    private static final String[] MODELS = {"gpt-5", "gpt-5-codex", "gpt-4o-mini", "o3", "claude-sonnet-4-5",
            "claude-opus-4-1", "claude-haiku-4-5", "gpt-4.1"};

    private RequestLogWriteRate() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: RequestLogWriteRate JDBC_URL [RATE per second, 2000] [SECONDS, 600]");
            System.exit(2);
        }
        String url = args[0];
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 600;
        Jdbi jdbi = Databases.open(url, "", "");
        Random random = new Random(42);
        long maxPending = 0;
        long sumPending = 0;
        int samples = 0;
        System.out.printf("| second | appended | written | pending | dropped |%n|---:|---:|---:|---:|---:|%n");
        long appended = 0;
        try (SqlRequestLog log = new SqlRequestLog(jdbi, url)) {
            long start = System.nanoTime();
            long periodNanos = 1_000_000_000L / rate;
            long nextSample = start + 1_000_000_000L;
            int second = 0;
            while (second < seconds) {
                long due = start + appended * periodNanos;
                long now = System.nanoTime();
                if (due > now) {
                    LockSupport.parkNanos(Math.min(due - now, 1_000_000L));
                    continue;
                }
                log.append(row(appended, random));
                appended++;
                if (now >= nextSample) {
                    second++;
                    nextSample += 1_000_000_000L;
                    long pending = log.pendingCount();
                    maxPending = Math.max(maxPending, pending);
                    sumPending += pending;
                    samples++;
                    if (second % 10 == 0) {
                        System.out.printf("| %d | %d | %d | %d | %d |%n", second, appended, log.writtenCount(),
                                pending, log.droppedCount());
                    }
                }
            }
            double achieved = appended / ((System.nanoTime() - start) / 1e9);
            System.out.printf("%nrate asked %d/s, appended %.0f/s; pending rows: max %d, mean %.1f (1 s samples); "
                            + "dropped %d; failed %d%n", rate, achieved, maxPending, (double) sumPending / samples,
                    log.droppedCount(), log.failedCount());
        }
        long rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM request_log").mapTo(Long.class).one());
        long summed = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(sum(requests), 0) FROM usage_summary "
                + "WHERE period_ms = 3600000 AND dim = 'all'").mapTo(Long.class).one());
        System.out.printf("request_log rows %d, usage_summary hourly requests %d (%s)%n", rows, summed,
                rows == summed ? "consistent" : "INCONSISTENT");
    }

    /** A row shaped like real traffic: 200 credentials, eight models, 40 client keys, a few errors. */
    private static RequestRecord row(long i, Random random) {
        int status = i % 50 == 0 ? 429 : i % 97 == 0 ? 502 : 200;
        long latency = 50 + random.nextInt(30_000);
        return new RequestRecord("bench-" + i, Instant.now(), "/v1/responses", "chatgpt-pool",
                Optional.of(new CredentialId("chatgpt:bench-" + random.nextInt(200))), MODELS[random.nextInt(8)],
                Optional.empty(), status, new TokenUsage(random.nextInt(20_000), random.nextInt(8000), 0,
                random.nextInt(3000), random.nextInt(1000)),
                Optional.of(BigDecimal.valueOf(random.nextInt(1_000_000), 6)), Duration.ofMillis(latency),
                Optional.of(Duration.ofMillis(20 + random.nextInt((int) latency))),
                status == 200 ? Optional.empty() : Optional.of("rate_limited"), Optional.empty(), Optional.empty(),
                false, "", "ck_bench" + random.nextInt(40), Optional.empty());
    }
}
