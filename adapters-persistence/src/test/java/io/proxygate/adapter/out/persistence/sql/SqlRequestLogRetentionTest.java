package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.usage.RequestRecord;
import io.proxygate.application.usage.UsageTotals;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.usage.TokenUsage;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Old request-log rows become daily roll-ups: detail goes, every total stays to the token and the nano-dollar. */
class SqlRequestLogRetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final CredentialId ALICE = CredentialId.chatgpt("alice@x.com");

    @TempDir
    Path dir;

    private Jdbi jdbi;
    private SqlUsageStats stats;

    @BeforeEach
    void open() {
        jdbi = SqliteDatabase.open(dir.resolve("proxygate.db"));
        stats = new SqlUsageStats(jdbi);
    }

    private void write(RequestRecord... records) {
        try (SqlRequestLog log = new SqlRequestLog(jdbi)) {
            for (RequestRecord r : records) {
                log.append(r);
            }
        }
    }

    private static RequestRecord row(String id, Instant at, int status, long in, long out, String cost) {
        return new RequestRecord(id, at, "/v1/responses", "chatgpt-pool", Optional.of(ALICE), "gpt-5", Optional.empty(),
                status, new TokenUsage(in, in / 2, 0, out, 0), Optional.ofNullable(cost).map(BigDecimal::new),
                Duration.ofMillis(100), Optional.of(Duration.ofMillis(10)),
                status == 200 ? Optional.empty() : Optional.of("api_error"), Optional.empty(), Optional.empty(), false, "");
    }

    @Test
    void oldRowsFoldIntoDailyRollupsAndLifetimeTotalsAreUnchanged() {
        Instant old = NOW.minus(Duration.ofDays(120));
        write(row("a", old, 200, 100, 10, "0.000123456"),
                row("b", old.plusSeconds(60), 200, 200, 20, "0.000000001"),
                row("c", old.plusSeconds(120), 500, 0, 0, null),
                row("d", old.plus(Duration.ofDays(1)), 200, 50, 5, null),
                row("e", NOW.minusSeconds(60), 200, 7, 3, "0.5"));
        List<UsageTotals> before = stats.totalsByCredentialAndModel(Instant.EPOCH, NOW);

        long folded = new SqlRequestLogRetention(jdbi).rollUpBefore(NOW.minus(Duration.ofDays(90)), ZoneOffset.UTC);

        assertThat(folded).isEqualTo(4);
        assertThat(stats.totalsByCredentialAndModel(Instant.EPOCH, NOW)).isEqualTo(before);
        UsageTotals total = stats.totalsByCredential(Instant.EPOCH, NOW).getFirst();
        assertThat(total.requests()).isEqualTo(5);
        assertThat(total.errors()).isEqualTo(1);
        assertThat(total.unpriced()).isEqualTo(1);
        assertThat(total.tokens().inputTokens()).isEqualTo(357);
        assertThat(total.costUsd()).isEqualByComparingTo("0.500123457");
        long rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM request_log").mapTo(Long.class).one());
        assertThat(rows).as("day 1: ok priced, failed; day 2: ok unpriced; plus the recent row").isEqualTo(4);
        assertThat(stats.recent(10, Optional.empty())).extracting(RequestRecord::requestId).containsExactly("e");
    }

    /**
     * The request-log writer commits new rows all the while (as on a server under load): every day still folds, no
     * new row is lost, and the totals hold. A fold that read before taking the write lock failed here at once.
     */
    @Test
    void oldDaysFoldWhileTheWriterCommitsNewRows() throws Exception {
        List<RequestRecord> old = new java.util.ArrayList<>();
        for (int day = 0; day < 20; day++) {
            for (int i = 0; i < 50; i++) {
                old.add(row("old-" + day + "-" + i, NOW.minus(Duration.ofDays(100 + day)).plusSeconds(i), 200, 10, 1,
                        "0.001"));
            }
        }
        write(old.toArray(RequestRecord[]::new));
        java.util.concurrent.atomic.AtomicBoolean folding = new java.util.concurrent.atomic.AtomicBoolean(true);
        int appended;
        long folded;
        SqlRequestLog log = new SqlRequestLog(jdbi, 8192, 1024, Duration.ZERO, Duration.ofSeconds(5));
        try (log) {
            java.util.concurrent.CompletableFuture<Integer> writer = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        int n = 0;
                        while (folding.get()) {
                            log.append(row("new-" + n, NOW.minusSeconds(1 + n % 3600), 200, 1, 1, "0.5"));
                            n++;
                            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                        }
                        return n;
                    });
            try {
                folded = new SqlRequestLogRetention(jdbi).rollUpBefore(NOW.minus(Duration.ofDays(90)), ZoneOffset.UTC);
            } finally {
                folding.set(false);
            }
            appended = writer.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }

        assertThat(folded).isEqualTo(1000);
        assertThat(appended).as("new rows appended during the fold").isPositive();
        assertThat(log.writtenCount()).isEqualTo(appended);
        assertThat(log.droppedCount() + log.failedCount()).isZero();
        UsageTotals total = stats.totalsByCredential(Instant.EPOCH, NOW).getFirst();
        assertThat(total.requests()).isEqualTo(1000 + appended);
        assertThat(total.tokens().inputTokens()).isEqualTo(10_000 + appended);
        long rollups = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM request_log WHERE route = 'rollup'")
                .mapTo(Long.class).one());
        assertThat(rollups).as("one roll-up a day").isEqualTo(20);
    }

    @Test
    void foldingTwiceChangesNothing() {
        write(row("a", NOW.minus(Duration.ofDays(100)), 200, 100, 10, "0.01"));
        SqlRequestLogRetention retention = new SqlRequestLogRetention(jdbi);
        retention.rollUpBefore(NOW.minus(Duration.ofDays(90)), ZoneOffset.UTC);
        List<UsageTotals> once = stats.totalsByCredential(Instant.EPOCH, NOW);
        assertThat(retention.rollUpBefore(NOW.minus(Duration.ofDays(90)), ZoneOffset.UTC)).isZero();
        assertThat(stats.totalsByCredential(Instant.EPOCH, NOW)).isEqualTo(once);
    }
}
