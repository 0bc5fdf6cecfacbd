package io.proxygate.adapter.out.persistence.bolt;

import io.proxygate.adapter.out.persistence.sql.SqlConversationPins;
import io.proxygate.adapter.out.persistence.sql.SqliteDatabase;
import io.proxygate.adapter.out.persistence.sql.SqlSettings;
import io.proxygate.adapter.out.persistence.sql.SqlUsageStats;
import io.proxygate.adapter.out.persistence.testing.TestData;
import io.proxygate.application.usage.UsageTotals;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.routing.ConversationKey;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Importing the committed Go database fixture ({@code testdata/bolt-fixture/proxygate.db}, written by bbolt through
 * {@code testdata/bolt-fixture/main.go}; its newest day is 2000-01-02) into a new SQLite database.
 */
class GoDatabaseImportTest {
    private static final ZoneId ZONE = ZoneOffset.UTC;
    private static final LocalDate TODAY = LocalDate.parse("2000-01-02");
    private static final Instant NOW = Instant.parse("2000-01-02T15:00:00Z");
    private static final Duration PIN_TTL = Duration.ofHours(1);

    @TempDir
    Path dir;

    private Path goDatabase() throws IOException {
        Path db = dir.resolve("data/proxygate.db");
        Files.createDirectories(db.getParent());
        Files.copy(TestData.file("bolt-fixture/proxygate.db"), db);
        return db;
    }

    private static GoDatabaseImport importer() {
        return new GoDatabaseImport(PIN_TTL, ZONE, InstantSource.fixed(NOW));
    }

    private static Map<String, UsageTotals> totals(Jdbi jdbi, Instant from, Instant to) {
        return new SqlUsageStats(jdbi).totalsByCredential(from, to).stream()
                .collect(Collectors.toMap(t -> t.credential().map(CredentialId::value).orElse("-"),
                        Function.identity()));
    }

    @Test
    void importsTheGoDatabaseAndKeepsTheBoltFileBesideTheNewOne() throws IOException {
        Path db = goDatabase();
        byte[] original = Files.readAllBytes(db);

        GoDatabaseImport.Summary summary = importer().importIfBolt(db).orElseThrow();

        assertThat(BoltFile.isBolt(db)).as("the original path now holds SQLite").isFalse();
        assertThat(new String(Files.readAllBytes(db), 0, 15, StandardCharsets.US_ASCII)).isEqualTo("SQLite format 3");
        assertThat(summary.backup()).isEqualTo(dir.resolve("data/proxygate.bolt.db"));
        assertThat(Files.readAllBytes(summary.backup())).isEqualTo(original);
        assertThat(Files.exists(dir.resolve("data/proxygate.db.importing"))).isFalse();
        assertThat(summary.days()).isEqualTo(2);
        assertThat(summary.credentials()).isEqualTo(6);
        assertThat(summary.pins()).isEqualTo(2);
        assertThat(summary.expiredPins()).isEqualTo(1);
        assertThat(summary.fallbackPolicy()).isTrue();
        assertThat(summary.skipped()).isZero();
        assertThat(summary.describe(db)).contains("kept as proxygate.bolt.db", "2 day(s)", "2 unexpired pin(s)",
                "the Claude fallback policy");

        assertThat(importer().importIfBolt(db)).as("a second start finds SQLite and imports nothing").isEmpty();
    }

    @Test
    void twoImportsAtOnceImportOnceAndLeaveNoLockFile() throws Exception {
        Path db = goDatabase();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Callable<Optional<GoDatabaseImport.Summary>> importing = () -> {
            start.await();
            return importer().importIfBolt(db);
        };
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(importing);
            var second = pool.submit(importing);
            assertThat(java.util.stream.Stream.of(first.get(), second.get()).filter(Optional::isPresent).count())
                    .isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(BoltFile.isBolt(db)).isFalse();
        assertThat(dir.resolve("data/proxygate.bolt.db")).exists();
        assertThat(dir.resolve("data/proxygate.bolt-2.db")).doesNotExist();
        assertThat(dir.resolve("data/proxygate.db.import-lock")).doesNotExist();
    }

    @Test
    void todaysUsageIsTheGoDaysAggregatesPerCredential() throws IOException {
        Path db = goDatabase();
        importer().importIfBolt(db);
        Jdbi jdbi = SqliteDatabase.open(db);

        Map<String, UsageTotals> today = totals(jdbi, TODAY.atStartOfDay(ZONE).toInstant(),
                TODAY.plusDays(1).atStartOfDay(ZONE).toInstant());
        assertThat(today.keySet()).containsExactlyInAnyOrder("chatgpt:user@example.com",
                "chatgpt:second@example.com", "claude:claude@example.com", "key:openai-main", "key:anthropic-main",
                "vertex-ai");
        UsageTotals user = today.get("chatgpt:user@example.com");
        assertThat(user.requests()).isEqualTo(12);
        assertThat(user.errors()).isEqualTo(2);
        assertThat(user.tokens().inputTokens()).isEqualTo(13000);
        assertThat(user.tokens().cachedInputTokens()).isEqualTo(3000);
        assertThat(user.tokens().outputTokens()).isEqualTo(4500);
        assertThat(user.costUsd()).isEqualByComparingTo("0.1075");
        UsageTotals openai = today.get("key:openai-main");
        assertThat(openai.requests()).isEqualTo(5);
        assertThat(openai.unpriced()).isEqualTo(1);
        assertThat(openai.costUsd()).isEqualByComparingTo("0.02");
        assertThat(today.get("key:anthropic-main").errors()).isEqualTo(1);
        assertThat(today.get("claude:claude@example.com").tokens().cachedInputTokens()).isEqualTo(1000);
        assertThat(today.values().stream().mapToLong(UsageTotals::requests).sum()).isEqualTo(28);

        List<UsageTotals> byModel = new SqlUsageStats(jdbi).totalsByCredentialAndModel(
                TODAY.atStartOfDay(ZONE).toInstant(), TODAY.plusDays(1).atStartOfDay(ZONE).toInstant());
        assertThat(byModel).anySatisfy(t -> {
            assertThat(t.credential()).contains(new CredentialId("chatgpt:user@example.com"));
            assertThat(t.model()).contains("gpt-5");
            assertThat(t.serviceTier()).contains("priority");
            assertThat(t.requests()).isEqualTo(2);
        });
    }

    @Test
    void todaysUsageIsInTodaysTotalsFromTheFirstMinuteOfTheDay() throws IOException {
        Path db = goDatabase();
        Instant justAfterMidnight = TODAY.atStartOfDay(ZONE).plusSeconds(30).toInstant();
        new GoDatabaseImport(PIN_TTL, ZONE, InstantSource.fixed(justAfterMidnight)).importIfBolt(db);
        Jdbi jdbi = SqliteDatabase.open(db);

        // `status` and /admin/usage read today as [local midnight, now].
        Map<String, UsageTotals> today = totals(jdbi, TODAY.atStartOfDay(ZONE).toInstant(),
                justAfterMidnight.plusSeconds(1));
        assertThat(today.values().stream().mapToLong(UsageTotals::requests).sum()).isEqualTo(28);
    }

    @Test
    void todaysUsageImportedBeforeNoonIsInTheStatisticsOfTodayAtOnce() throws IOException {
        Path db = goDatabase();
        Instant morning = TODAY.atTime(8, 20).atZone(ZONE).toInstant();
        new GoDatabaseImport(PIN_TTL, ZONE, InstantSource.fixed(morning)).importIfBolt(db);
        Jdbi jdbi = SqliteDatabase.open(db);
        Instant startOfDay = TODAY.atStartOfDay(ZONE).toInstant();

        // /admin/stats reads [since, now]: here since local midnight, at the moment of the import.
        var rows = new io.proxygate.adapter.out.persistence.sql.SqlUsageStats(jdbi).stats(
                io.proxygate.application.port.out.UsageStatsPort.GroupBy.CREDENTIAL, startOfDay, morning, ZONE);
        assertThat(rows.stream().mapToLong(r -> r.requests()).sum()).isEqualTo(28);
        assertThat(totals(jdbi, startOfDay, morning.plusSeconds(1)).values().stream()
                .mapToLong(UsageTotals::requests).sum()).isEqualTo(28);
        assertThat(totals(jdbi, TODAY.minusDays(1).atStartOfDay(ZONE).toInstant(), startOfDay))
                .as("earlier days keep their own date").isNotEmpty();
    }

    @Test
    void lifetimeTotalsMatchTheGoCountersPlusTheFailuresOfTheKeptDays() throws IOException {
        Path db = goDatabase();
        importer().importIfBolt(db);
        Jdbi jdbi = SqliteDatabase.open(db);

        Map<String, UsageTotals> lifetime = totals(jdbi, Instant.EPOCH, Instant.parse("3000-01-01T00:00:00Z"));
        UsageTotals user = lifetime.get("chatgpt:user@example.com");
        assertThat(user.requests()).as("130 successful (Go's counter) + 2 failed on the kept days").isEqualTo(132);
        assertThat(user.tokens().inputTokens()).isEqualTo(150000);
        assertThat(user.tokens().outputTokens()).isEqualTo(40000);
        assertThat(user.costUsd()).isEqualByComparingTo("0.9");
        assertThat(lifetime.get("claude:claude@example.com").requests()).isEqualTo(25);
        assertThat(lifetime.get("claude:claude@example.com").costUsd()).isEqualByComparingTo("0.3");
        assertThat(lifetime.get("chatgpt:second@example.com").requests()).isEqualTo(3);
        assertThat(lifetime.get("key:openai-main").requests()).isEqualTo(11);
        assertThat(lifetime.get("key:anthropic-main").requests()).isEqualTo(2);

        Map<String, UsageTotals> olderThanKept = totals(jdbi, Instant.EPOCH,
                TODAY.minusDays(1).atStartOfDay(ZONE).toInstant());
        assertThat(olderThanKept.get("chatgpt:user@example.com").requests())
                .as("what the lifetime counter holds beyond the kept days lies before them").isEqualTo(99);
    }

    @Test
    void theImportedUsageIsInTheStatisticsSummaryToo() throws IOException {
        Path db = goDatabase();
        importer().importIfBolt(db);
        Jdbi jdbi = SqliteDatabase.open(db);

        // Whole UTC days only: read from usage_summary alone, which the import must have filled.
        Map<String, Long> requests = new io.proxygate.adapter.out.persistence.sql.SqlUsageStats(jdbi)
                .stats(io.proxygate.application.port.out.UsageStatsPort.GroupBy.CREDENTIAL, Instant.EPOCH,
                        Instant.parse("3000-01-01T00:00:00Z"), ZONE).stream()
                .collect(java.util.stream.Collectors.toMap(r -> r.group(), r -> r.requests()));
        assertThat(requests).containsEntry("chatgpt:user@example.com", 132L)
                .containsEntry("claude:claude@example.com", 25L).containsEntry("key:openai-main", 11L);
    }

    @Test
    void unexpiredPinsKeepTheirAccountAndExpireWhenTheyWouldHave() throws IOException {
        Path db = goDatabase();
        importer().importIfBolt(db);
        SqlConversationPins pins = new SqlConversationPins(SqliteDatabase.open(db));
        Instant liveSince = NOW.minus(PIN_TTL).plusMillis(1);

        assertThat(pins.find(new ConversationKey("session:gate-session-1"), liveSince))
                .contains(new CredentialId("chatgpt:user@example.com"));
        assertThat(pins.find(ConversationKey.response("resp_fixture_1"), liveSince))
                .contains(new CredentialId("chatgpt:user@example.com"));
        assertThat(pins.find(ConversationKey.response("resp_expired"), Instant.EPOCH)).isEmpty();
    }

    @Test
    void theClaudeFallbackPolicyIsCopiedAsStored() throws IOException {
        Path db = goDatabase();
        importer().importIfBolt(db);
        Optional<FallbackPolicy> policy = new SqlSettings(SqliteDatabase.open(db), InstantSource.fixed(NOW)).load();
        assertThat(policy).hasValueSatisfying(p -> {
            assertThat(p.enabled()).isFalse();
            assertThat(p.rules()).singleElement().satisfies(r -> {
                assertThat(r.fromModel()).isEqualTo("claude-opus-4-7");
                assertThat(r.toModel()).isEqualTo("claude-opus-4-6");
            });
        });
    }

    @Test
    void aFailedImportLeavesTheBoltFileInPlace() throws IOException {
        Path db = goDatabase();
        byte[] original = Files.readAllBytes(db);
        Files.createDirectories(dir.resolve("data/proxygate.db.importing/blocker")); // cannot become a database

        assertThatThrownBy(() -> importer().importIfBolt(db)).isInstanceOf(IOException.class);

        assertThat(Files.readAllBytes(db)).isEqualTo(original);
        assertThat(Files.exists(dir.resolve("data/proxygate.bolt.db"))).isFalse();
    }

    @Test
    void aSqliteDatabaseOrNoFileIsLeftAlone() throws IOException {
        Path db = dir.resolve("proxygate.db");
        SqliteDatabase.open(db);
        byte[] before = Files.readAllBytes(db);
        assertThat(importer().importIfBolt(db)).isEmpty();
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        assertThat(importer().importIfBolt(dir.resolve("none.db"))).isEmpty();
        assertThat(Files.exists(dir.resolve("none.db"))).isFalse();
    }

    @Test
    void anExistingBackupIsNeverOverwritten() throws IOException {
        Path db = goDatabase();
        Files.writeString(dir.resolve("data/proxygate.bolt.db"), "an older backup");
        GoDatabaseImport.Summary summary = importer().importIfBolt(db).orElseThrow();
        assertThat(summary.backup().getFileName().toString()).isEqualTo("proxygate.bolt-2.db");
        assertThat(Files.readString(dir.resolve("data/proxygate.bolt.db"))).isEqualTo("an older backup");
    }

    @Test
    void sqliteFileComesFromTheJdbcUrl() {
        assertThat(GoDatabaseImport.sqliteFile("jdbc:sqlite:/x/data/proxygate.db?journal_mode=WAL"))
                .contains(Path.of("/x/data/proxygate.db"));
        assertThat(GoDatabaseImport.sqliteFile("jdbc:sqlite::memory:")).isEmpty();
        assertThat(GoDatabaseImport.sqliteFile("jdbc:postgresql://h/db")).isEmpty();
    }
}
