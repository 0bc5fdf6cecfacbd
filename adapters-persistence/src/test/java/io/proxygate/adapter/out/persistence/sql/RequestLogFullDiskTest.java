package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.adapter.out.persistence.testing.SmallDisk;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.usage.TokenUsage;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The request log on a full disk: an alarm in words, rows kept in memory and written once there is room. */
class RequestLogFullDiskTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void rowsWaitWhileTheDiskIsFullAndAreWrittenWhenSpaceReturns() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small"), 2L * 1024 * 1024)) {
            Jdbi jdbi = SqliteDatabase.open(disk.path().resolve("proxygate.db"));
            SqlRequestLog log = new SqlRequestLog(jdbi, 1024, 64, Duration.ofMillis(10), Duration.ofSeconds(1),
                    500, disk.path().toString());
            log.append(record("before", T0));
            await().atMost(Duration.ofSeconds(5)).until(() -> log.writtenCount() == 1);

            disk.fill();
            for (int i = 0; i < 300; i++) {
                log.append(record("full-" + i, T0.plusMillis(i)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> log.problem().isPresent());
            assertThat(log.problem().orElseThrow()).startsWith("disk").contains(disk.path().toString());
            await().atMost(Duration.ofSeconds(5)).until(() -> log.waitingCount() == 300);
            // Beyond the buffer (500), rows are counted as dropped, never silently lost.
            for (int i = 0; i < 250; i++) {
                log.append(record("over-" + i, T0.plusSeconds(1).plusMillis(i)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> log.droppedCount() == 50);

            disk.free();
            await().atMost(Duration.ofSeconds(10)).until(() -> log.problem().isEmpty());
            assertThat(log.writtenCount()).isEqualTo(501);
            log.close();
            long rows = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM request_log").mapTo(Long.class).one());
            assertThat(rows).isEqualTo(501L);
        }
    }

    private static RequestRecord record(String id, Instant startedAt) {
        return new RequestRecord(id, startedAt, "/v1/responses", "openai-key", Optional.of(CredentialId.apiKey("k1")),
                "gpt-5-mini", Optional.empty(), 200, new TokenUsage(10, 0, 0, 5, 0),
                Optional.of(new BigDecimal("0.0001")), Duration.ofMillis(100), Optional.of(Duration.ofMillis(20)),
                Optional.empty(), Optional.empty(), Optional.empty(), false, "routing note ".repeat(20));
    }
}
