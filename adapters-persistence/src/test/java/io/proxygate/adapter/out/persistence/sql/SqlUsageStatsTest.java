package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.UsageSeriesPort;
import io.proxygate.application.port.out.UsageStatsPort.GroupBy;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.application.usage.SeriesPoint;
import io.proxygate.application.usage.StatsRow;
import io.proxygate.application.usage.UsageTotals;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.usage.TokenUsage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlUsageStatsTest extends UsageStatsOnAFreshDatabase {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
    private static final CredentialId ALICE = CredentialId.chatgpt("alice@example.com");
    private static final CredentialId KEY = CredentialId.apiKey("openai-1");

    private final AtomicInteger ids = new AtomicInteger();

    @Test
    void totalsAddUpTokensExactCostsErrorsAndUnpricedPerCredential() {
        insert(row(ALICE, T0).cost("0.1").tokens(100, 50, 25).build(),
                row(ALICE, T0.plusSeconds(1)).cost("0.2").tokens(10, 0, 5).build(),
                row(ALICE, T0.plusSeconds(2)).status(429).errorClass("rate_limit_error").build(),
                row(KEY, T0.plusSeconds(3)).tokens(7, 0, 3).build(),
                row(KEY, T0.plusSeconds(4)).status(200).errorClass("client_disconnected").build(),
                row(null, T0.plusSeconds(5)).provider("vertex-ai").cost("0.05").tokens(1, 0, 1).build(),
                row(null, T0.plusSeconds(6)).provider("none").status(503).build());

        Map<String, UsageTotals> totals = byId(stats.totalsByCredential(T0, FAR));

        UsageTotals alice = totals.get(ALICE.value());
        assertThat(alice.requests()).isEqualTo(3);
        assertThat(alice.errors()).isEqualTo(1);
        assertThat(alice.unpriced()).isZero();
        assertThat(alice.tokens()).isEqualTo(new TokenUsage(110, 50, 0, 30, 0));
        assertThat(alice.costUsd()).isEqualByComparingTo("0.3");
        UsageTotals key = totals.get(KEY.value());
        assertThat(key.requests()).isEqualTo(2);
        assertThat(key.errors()).as("a disconnect is an error").isEqualTo(1);
        assertThat(key.unpriced()).as("only successful rows without a cost are unpriced").isEqualTo(1);
        assertThat(key.costUsd()).isEqualByComparingTo("0");
        assertThat(totals.get("vertex-ai").costUsd()).isEqualByComparingTo("0.05");
        assertThat(totals.get("(none)").requests()).isEqualTo(1);
    }

    @Test
    void totalsCountOnlyRowsStartedInsideTheHalfOpenRange() {
        insert(row(ALICE, T0.minusMillis(1)).build(), row(ALICE, T0).build(), row(ALICE, T0.plusSeconds(59)).build(),
                row(ALICE, T0.plusSeconds(60)).build());

        List<UsageTotals> totals = stats.totalsByCredential(T0, T0.plusSeconds(60));

        assertThat(totals).singleElement().extracting(UsageTotals::requests).isEqualTo(2L);
    }

    @Test
    void costsOfManyTinyRequestsSumExactly() {
        List<RequestLogRow> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(row(ALICE, T0.plusMillis(i)).cost("0.000001234").build());
        }
        insert(rows.toArray(RequestLogRow[]::new));

        assertThat(stats.totalsByCredential(T0, FAR).get(0).costUsd()).isEqualByComparingTo("0.001234");
    }

    @Test
    void totalsByModelSplitModelsAndTreatDefaultAndAutoTiersAsNone() {
        insert(row(ALICE, T0).model("gpt-5").tier("default").cost("1").build(),
                row(ALICE, T0).model("gpt-5").tier(null).cost("2").build(),
                row(ALICE, T0).model("gpt-5").tier("auto").cost("3").build(),
                row(ALICE, T0).model("gpt-5").tier("Priority").cost("4").build(),
                row(ALICE, T0).model("gpt-5.4-mini").cost("5").build());

        List<UsageTotals> totals = stats.totalsByCredentialAndModel(T0, FAR);

        assertThat(totals).extracting(t -> t.model().orElse("?") + "@" + t.serviceTier().orElse("-") + "="
                        + t.requests() + "/" + t.costUsd().stripTrailingZeros().toPlainString())
                .containsExactlyInAnyOrder("gpt-5@-=3/6", "gpt-5@priority=1/4", "gpt-5.4-mini@-=1/5");
        assertThat(totals).allSatisfy(t -> assertThat(t.credential()).contains(ALICE));
    }

    @Test
    void rowsNotWrittenYetCountByTheSameRulesAsStoredRowsAndNeverTwice() {
        List<RequestLogRow> rows = List.of(row(ALICE, T0).cost("0.1").tokens(100, 50, 25).model("gpt-5").build(),
                row(ALICE, T0.plusSeconds(1)).cost("0.000001234").tier("Priority").model("gpt-5").build(),
                row(ALICE, T0.plusSeconds(2)).status(429).errorClass("rate_limit_error").tier("auto").build(),
                row(KEY, T0.plusSeconds(3)).tokens(7, 0, 3).model("gpt-5.4-mini").build(),
                row(KEY, T0.plusSeconds(4)).status(200).errorClass("client_disconnected").tier("default").build(),
                row(null, T0.plusSeconds(5)).provider("vertex-ai").cost("0.05").tokens(1, 0, 1).build(),
                row(null, T0.plusSeconds(6)).provider("none").status(503).model("").build(),
                row(ALICE, T0.minusMillis(1)).cost("9").build(),
                row(ALICE, FAR).cost("9").build());
        List<RequestRecord> records = rows.stream().map(RowMapping::toRecord).toList();
        UnwrittenRows unwritten = new UnwrittenRows();
        SqlUsageStats withUnwritten = new SqlUsageStats(jdbi, unwritten);

        records.forEach(unwritten::add);
        List<List<UsageTotals>> allUnwritten = totalsOf(withUnwritten);
        insertWritten(unwritten, records.subList(0, 4), rows.subList(0, 4));
        List<List<UsageTotals>> half = totalsOf(withUnwritten);
        insertWritten(unwritten, records.subList(4, rows.size()), rows.subList(4, rows.size()));
        List<List<UsageTotals>> allStored = totalsOf(stats);

        assertThat(unwritten.size()).isZero();
        assertThat(allStored.get(0)).hasSize(4);
        assertThat(allUnwritten).isEqualTo(allStored);
        assertThat(half).isEqualTo(allStored);
        assertThat(withUnwritten.recent(3, Optional.empty())).isEqualTo(stats.recent(3, Optional.empty()));
    }

    private void insertWritten(UnwrittenRows unwritten, List<RequestRecord> records, List<RequestLogRow> rows) {
        unwritten.written(records, () -> insert(rows.toArray(RequestLogRow[]::new)));
    }

    /** By credential and by model, each in a stable order. */
    private static List<List<UsageTotals>> totalsOf(SqlUsageStats source) {
        Comparator<UsageTotals> order = Comparator.comparing((UsageTotals t) -> t.toString());
        return List.of(source.totalsByCredential(T0, FAR).stream().sorted(order).toList(),
                source.totalsByCredentialAndModel(T0, FAR).stream().sorted(order).toList());
    }

    @Test
    void percentilesAreNearestRankPerGroupAndIgnoreMissingTimeToFirstByte() {
        List<RequestLogRow> rows = new ArrayList<>();
        for (int ms = 100; ms >= 1; ms--) {
            rows.add(row(ALICE, T0).latency(ms).ttfb(ms % 2 == 0 ? (long) ms / 2 : null).build());
        }
        rows.add(row(KEY, T0).latency(777).ttfb(null).build());
        insert(rows.toArray(RequestLogRow[]::new));

        Map<String, StatsRow> byCredential = stats.stats(GroupBy.CREDENTIAL, T0, FAR, ZoneOffset.UTC).stream()
                .collect(Collectors.toMap(StatsRow::group, Function.identity()));

        StatsRow alice = byCredential.get(ALICE.value());
        assertThat(alice.requests()).isEqualTo(100);
        // Percentiles come from histograms (UsageHistogram): the middle of the exact value's bucket, within 10 %.
        UsageSummaryTest.assertInBucketOf(alice.latencyP50(), 50, "latency p50");
        UsageSummaryTest.assertInBucketOf(alice.latencyP95(), 95, "latency p95");
        // TTFB exists for the 50 even latencies: 1, 2, ..., 50 ms; nearest rank 25 and 48.
        UsageSummaryTest.assertInBucketOf(alice.ttfbP50(), 25, "ttfb p50");
        UsageSummaryTest.assertInBucketOf(alice.ttfbP95(), 48, "ttfb p95");
        StatsRow key = byCredential.get(KEY.value());
        UsageSummaryTest.assertInBucketOf(key.latencyP50(), 777, "one row's p50");
        UsageSummaryTest.assertInBucketOf(key.latencyP95(), 777, "one row's p95");
        assertThat(key.latencyP50()).isEqualTo(key.latencyP95());
        assertThat(key.ttfbP50()).isEqualTo(Duration.ZERO);
    }

    @Test
    void credentialGroupsComeMostUsedFirst() {
        insert(row(KEY, T0).build(), row(ALICE, T0).build(), row(ALICE, T0).build(),
                row(null, T0).provider("vertex-ai").build());

        assertThat(stats.stats(GroupBy.CREDENTIAL, T0, FAR, ZoneOffset.UTC)).extracting(StatsRow::group)
                .containsExactly(ALICE.value(), KEY.value(), "vertex-ai");
    }

    @Test
    void modelGroupsCallABlankModelUnknown() {
        insert(row(ALICE, T0).model("").build(), row(ALICE, T0).model("gpt-5").build());

        assertThat(stats.stats(GroupBy.MODEL, T0, FAR, ZoneOffset.UTC)).extracting(StatsRow::group)
                .containsExactlyInAnyOrder("unknown", "gpt-5");
    }

    @Test
    void daysFollowTheLocalClockOfTheZoneAskedFor() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Instant lateOnFirst = LocalDate.of(2025, 6, 1).atTime(23, 30).atZone(berlin).toInstant();
        Instant earlyOnSecond = LocalDate.of(2025, 6, 2).atTime(0, 30).atZone(berlin).toInstant();
        insert(row(ALICE, lateOnFirst).build(), row(ALICE, earlyOnSecond).build(), row(ALICE, earlyOnSecond).build());

        List<StatsRow> days = stats.stats(GroupBy.DAY, lateOnFirst.minus(Duration.ofDays(1)),
                earlyOnSecond.plus(Duration.ofDays(1)), berlin);

        assertThat(days).extracting(r -> r.group() + "=" + r.requests())
                .containsExactly("2025-06-01=1", "2025-06-02=2");
        // In UTC both rows fall on June 1st.
        assertThat(stats.stats(GroupBy.DAY, lateOnFirst.minus(Duration.ofDays(1)),
                earlyOnSecond.plus(Duration.ofDays(1)), ZoneOffset.UTC)).extracting(r -> r.group() + "=" + r.requests())
                .containsExactly("2025-06-01=3");
    }

    @Test
    void hoursOfADaylightSavingDayAreTwentyThree() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Instant dayStart = LocalDate.of(2025, 3, 30).atStartOfDay(berlin).toInstant();
        Instant dayEnd = LocalDate.of(2025, 3, 31).atStartOfDay(berlin).toInstant();
        List<RequestLogRow> rows = new ArrayList<>();
        for (Instant t = dayStart; t.isBefore(dayEnd); t = t.plus(Duration.ofMinutes(30))) {
            rows.add(row(ALICE, t).build());
        }
        insert(rows.toArray(RequestLogRow[]::new));

        List<StatsRow> hours = stats.stats(GroupBy.HOUR, dayStart, dayEnd, berlin);

        assertThat(hours).hasSize(23).allSatisfy(h -> assertThat(h.requests()).isEqualTo(2));
        assertThat(hours.get(0).group()).isEqualTo("2025-03-30T00:00+01:00");
        assertThat(hours.get(2).group()).isEqualTo("2025-03-30T03:00+02:00");
    }

    @Test
    void seriesSplitByCredentialGivesOnePointPerBucketAndCredential() {
        Instant hour = Instant.parse("2025-06-01T10:00:00Z");
        insert(row(ALICE, hour.plusSeconds(60)).tokens(10, 0, 1).cost("0.5").build(),
                row(ALICE, hour.plusSeconds(120)).tokens(10, 0, 1).cost("0.5").build(),
                row(KEY, hour.plusSeconds(3700)).build());

        List<SeriesPoint> points = stats.series(UsageSeriesPort.Bucket.HOUR, UsageSeriesPort.Split.CREDENTIAL,
                hour.plusSeconds(30), hour.plus(Duration.ofHours(3)), ZoneOffset.UTC);

        assertThat(points).extracting(p -> p.bucketStart() + " " + p.series() + " " + p.requests() + " "
                        + p.tokens().inputTokens() + " " + p.costUsd().stripTrailingZeros().toPlainString())
                .containsExactly("2025-06-01T10:00:00Z " + ALICE.value() + " 2 20 1",
                        "2025-06-01T11:00:00Z " + KEY.value() + " 1 0 0");
        assertThat(stats.series(UsageSeriesPort.Bucket.DAY, UsageSeriesPort.Split.NONE, hour, FAR.minus(
                Duration.ofDays(365 * 70)), ZoneOffset.UTC)).extracting(SeriesPoint::series, SeriesPoint::requests)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("all", 3L));
    }

    @Test
    void aRangeWithTooManyBucketsIsRefused() {
        assertThatThrownBy(() -> stats.stats(GroupBy.HOUR, T0, T0.plus(Duration.ofDays(365)), ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5000");
    }

    @Test
    void recentRowsComeNewestFirstAndCanBeLimitedToOneCredential() {
        insert(row(ALICE, T0).build(), row(KEY, T0.plusSeconds(1)).build(), row(ALICE, T0.plusSeconds(2)).build(),
                row(null, T0.plusSeconds(3)).provider("vertex-ai").build());

        assertThat(stats.recent(3, Optional.empty())).extracting(r -> r.startedAt().getEpochSecond() - T0.getEpochSecond())
                .containsExactly(3L, 2L, 1L);
        assertThat(stats.recent(10, Optional.of(ALICE))).extracting(RequestRecord::credential)
                .containsExactly(Optional.of(ALICE), Optional.of(ALICE));
        assertThat(stats.recent(10, Optional.of(new CredentialId("vertex-ai")))).extracting(RequestRecord::provider)
                .containsExactly("vertex-ai");
        assertThat(stats.recent(0, Optional.empty())).isEmpty();
    }

    @Test
    void concurrentQueriesOnSeveralConnectionsDoNotSeeEachOthersBuckets() throws Exception {
        insert(row(ALICE, T0).build(), row(ALICE, T0.plus(Duration.ofDays(1))).build());
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            boolean daily = t % 2 == 0;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20; i++) {
                    try {
                        List<StatsRow> rows = stats.stats(daily ? GroupBy.DAY : GroupBy.CREDENTIAL, T0,
                                T0.plus(Duration.ofDays(2)), ZoneOffset.UTC);
                        assertThat(rows).hasSize(daily ? 2 : 1);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
    }

    // ---------------------------------------------------------------- fixtures

    private static Map<String, UsageTotals> byId(List<UsageTotals> totals) {
        return totals.stream().collect(Collectors.toMap(t -> t.credential().map(CredentialId::value).orElse("(none)"),
                Function.identity()));
    }

    private void insert(RequestLogRow... rows) {
        jdbi.useExtension(RequestLogDao.class, dao -> dao.insertAll(List.of(rows)));
    }

    private RowBuilder row(CredentialId credential, Instant at) {
        return new RowBuilder("req-" + ids.incrementAndGet(), credential, at);
    }

    private static final class RowBuilder {
        private final String id;
        private final CredentialId credential;
        private final Instant at;
        private String provider = "chatgpt-pool";
        private String model = "gpt-5";
        private String tier;
        private int status = 200;
        private long in;
        private long cached;
        private long out;
        private String cost;
        private long latency = 100;
        private Long ttfb = 10L;
        private String errorClass;

        RowBuilder(String id, CredentialId credential, Instant at) {
            this.id = id;
            this.credential = credential;
            this.at = at;
        }

        RowBuilder provider(String p) {
            provider = p;
            return this;
        }

        RowBuilder model(String m) {
            model = m;
            return this;
        }

        RowBuilder tier(String t) {
            tier = t;
            return this;
        }

        RowBuilder status(int s) {
            status = s;
            return this;
        }

        RowBuilder tokens(long input, long cachedInput, long output) {
            in = input;
            cached = cachedInput;
            out = output;
            return this;
        }

        RowBuilder cost(String c) {
            cost = c;
            return this;
        }

        RowBuilder latency(long ms) {
            latency = ms;
            return this;
        }

        RowBuilder ttfb(Long ms) {
            ttfb = ms;
            return this;
        }

        RowBuilder errorClass(String e) {
            errorClass = e;
            return this;
        }

        RequestLogRow build() {
            RequestRecord record = new RequestRecord(id, at, "/v1/responses", provider, Optional.ofNullable(credential),
                    model, Optional.ofNullable(tier), status, new TokenUsage(in, cached, 0, out, 0),
                    Optional.ofNullable(cost).map(BigDecimal::new), Duration.ofMillis(latency),
                    Optional.ofNullable(ttfb).map(Duration::ofMillis), Optional.ofNullable(errorClass),
                    Optional.empty(), Optional.empty(), false, "");
            return RowMapping.toRow(record);
        }
    }
}
