package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.usage.TokenUsage;
import org.jdbi.v3.core.Jdbi;
import io.proxygate.adapter.out.persistence.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The request log, on SQLite and on PostgreSQL. */
class SqlRequestLogTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private Jdbi jdbi;

    private void open(SqlDialect dialect) {
        jdbi = TestDatabase.fresh(dialect, dir).open();
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void closeWritesEveryQueuedRow(SqlDialect dialect) {
        open(dialect);
        SqlRequestLog log = new SqlRequestLog(jdbi, 20_000, 256, Duration.ofMillis(100), Duration.ofSeconds(5));

        for (int i = 0; i < 10_000; i++) {
            log.append(record("req-" + i, T0.plusMillis(i)));
        }
        log.close();

        assertThat(count()).isEqualTo(10_000);
        assertThat(log.droppedCount()).isZero();
        assertThat(log.failedCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void concurrentAppendersLoseNothingWithASmallQueue(SqlDialect dialect) throws InterruptedException {
        open(dialect);
        // A queue far smaller than the load: appenders wait for room (long offer timeout) instead of dropping.
        SqlRequestLog log = new SqlRequestLog(jdbi, 64, 32, Duration.ofMillis(20), Duration.ofSeconds(30));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1_000; i++) {
                    log.append(record("t" + thread + "-" + i, T0.plusMillis(i)));
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        log.close();

        assertThat(count()).isEqualTo(4_000);
        assertThat(log.droppedCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void rowsBecomeVisibleWithoutClosingOnceABatchIsDue(SqlDialect dialect) {
        open(dialect);
        try (SqlRequestLog log = new SqlRequestLog(jdbi)) {
            log.append(record("visible", T0));

            await().atMost(Duration.ofSeconds(10)).until(() -> log.recent(10).size() == 1);
        }
    }

    /** SQLite only: it is SQLite's single writer lock that keeps the writer from draining the queue here. */
    @Test
    void dropsAndCountsRowsWhenTheQueueStaysFull() throws InterruptedException {
        open(SqlDialect.SQLITE);
        CountDownLatch release = new CountDownLatch(1);
        // Hold the database's write lock so the writer cannot drain the queue.
        Thread blocker = Thread.ofPlatform().start(() -> jdbi.useTransaction(h -> {
            h.execute("INSERT INTO credential_state (id, failure_streak, updated_at) VALUES ('lock', 0, 0)");
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> blocker.getState() == Thread.State.WAITING);
        SqlRequestLog log = new SqlRequestLog(jdbi, 2, 1, Duration.ofMillis(1), Duration.ofMillis(1));

        for (int i = 0; i < 50; i++) {
            log.append(record("r" + i, T0));
        }
        long dropped = log.droppedCount();
        release.countDown();
        blocker.join();
        log.close();

        assertThat(dropped).isPositive();
        assertThat(count() + dropped).isEqualTo(50);
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void appendAfterCloseIsCountedAsDropped(SqlDialect dialect) {
        open(dialect);
        SqlRequestLog log = new SqlRequestLog(jdbi);
        log.close();

        log.append(record("late", T0));

        assertThat(log.droppedCount()).isEqualTo(1);
        assertThat(count()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void roundTripsEveryFieldAndListsNewestFirst(SqlDialect dialect) {
        open(dialect);
        RequestRecord full = new RequestRecord("req-full", T0.plusSeconds(5), "/v1/responses", "chatgpt-pool",
                Optional.of(CredentialId.chatgpt("a@example.com")), "gpt-5", Optional.of("priority"), 200,
                new TokenUsage(1200, 1000, 7, 300, 120), Optional.of(new BigDecimal("0.000123456789012345678")),
                Duration.ofMillis(1534), Optional.of(Duration.ofMillis(212)), Optional.empty(), Optional.empty(),
                Optional.of("resp_fake"), false, "picked a@example.com score=0.83");
        RequestRecord failed = new RequestRecord("req-failed", T0, "/v1/messages", "none", Optional.empty(),
                "claude-sonnet-4", Optional.empty(), 429, TokenUsage.NONE, Optional.empty(), Duration.ofMillis(40),
                Optional.empty(), Optional.of("rate_limited"), Optional.of("all credentials cooling down"),
                Optional.empty(), true, "");
        SqlRequestLog log = new SqlRequestLog(jdbi);
        log.append(failed);
        log.append(full);
        log.close();

        List<RequestRecord> recent = new SqlRequestLog(jdbi).recent(10);

        assertThat(recent).containsExactly(full, failed);
        assertThat(recent.get(0).costUsd()).contains(new BigDecimal("0.000123456789012345678"));
        assertThat(new SqlRequestLog(jdbi).recent(1)).containsExactly(full);
    }

    @Test
    void aRowCountsFromTheMomentItIsAppendedAndOnceItIsWritten() {
        open(SqlDialect.SQLITE);
        // Batches of two: the first row waits in memory until the second arrives (or the 5 s delay passes).
        SqlRequestLog log = new SqlRequestLog(jdbi, 64, 2, Duration.ofSeconds(5), Duration.ofSeconds(5));
        SqlUsageStats stats = new SqlUsageStats(jdbi, log.unwritten());
        try {
            log.append(record("req-1", T0));
            assertThat(requests(stats)).isEqualTo(1);
            assertThat(count()).as("not written yet").isZero();
            assertThat(log.recent(5)).extracting(RequestRecord::requestId).containsExactly("req-1");

            log.append(record("req-2", T0.plusSeconds(1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> count() == 2);
            assertThat(log.unwritten().size()).isZero();
            assertThat(requests(stats)).isEqualTo(2);
        } finally {
            log.close();
        }
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void readsDuringWritesNeitherMissNorDoubleCountARow(SqlDialect dialect) throws Exception {
        open(dialect);
        SqlRequestLog log = new SqlRequestLog(jdbi, 4096, 8, Duration.ofMillis(1), Duration.ofSeconds(30));
        SqlUsageStats stats = new SqlUsageStats(jdbi, log.unwritten());
        java.util.concurrent.atomic.AtomicLong begun = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        int rows = 3000;
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < rows; i++) {
                begun.incrementAndGet();
                log.append(record("req-" + i, T0.plusMillis(i)));
                done.incrementAndGet();
                // Paced (not synchronised): the rows trickle in over about a second, so reads overlap many commits.
                java.util.concurrent.locks.LockSupport.parkNanos(300_000);
            }
        });
        List<String> wrong = new ArrayList<>();
        while (writer.isAlive() || done.get() < rows) {
            long atLeast = done.get();
            long counted = requests(stats);
            long atMost = begun.get();
            if (counted < atLeast || counted > atMost) {
                wrong.add(counted + " not in [" + atLeast + ", " + atMost + "]");
            }
        }
        writer.join();
        log.close();
        assertThat(wrong).isEmpty();
        assertThat(requests(stats)).isEqualTo(rows);
        assertThat(count()).isEqualTo(rows);
    }

    private static long requests(SqlUsageStats stats) {
        return stats.totalsByCredential(T0.minusSeconds(1), T0.plusSeconds(3600)).stream()
                .mapToLong(io.proxygate.application.usage.UsageTotals::requests).sum();
    }

    private long count() {
        return jdbi.withExtension(RequestLogDao.class, RequestLogDao::count);
    }

    private static RequestRecord record(String id, Instant startedAt) {
        return new RequestRecord(id, startedAt, "/v1/responses", "openai-key", Optional.of(CredentialId.apiKey("k1")),
                "gpt-5-mini", Optional.empty(), 200, new TokenUsage(10, 0, 0, 5, 0),
                Optional.of(new BigDecimal("0.0001")), Duration.ofMillis(100), Optional.of(Duration.ofMillis(20)),
                Optional.empty(), Optional.empty(), Optional.empty(), false, "");
    }
}
