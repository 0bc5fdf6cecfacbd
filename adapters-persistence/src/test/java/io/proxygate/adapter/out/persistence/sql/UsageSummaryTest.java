package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.adapter.out.persistence.testing.TestDatabase;
import io.proxygate.application.port.out.UsageSeriesPort.Bucket;
import io.proxygate.application.port.out.UsageSeriesPort.Split;
import io.proxygate.application.port.out.UsageStatsPort.GroupBy;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.application.usage.SeriesPoint;
import io.proxygate.application.usage.StatsRow;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.usage.TokenUsage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage summary (migration V9) against the rows it sums: statistics and charts read from it equal the same sums
 * over {@code request_log} computed here row by row, percentiles fall in the bucket of the exact nearest-rank value,
 * the backfill builds the same summary as the writer, and an upgraded database keeps its history.
 */
class UsageSummaryTest extends UsageStatsOnAFreshDatabase {
    /** Three days and a bit of rows, starting at an odd minute so ranges and hours do not line up. */
    private static final Instant START = Instant.parse("2026-03-28T21:17:03Z");
    private static final String[] CREDENTIALS = {"chatgpt:a@x.com", "chatgpt:b@x.com", "apikey:k1", null};
    private static final String[] MODELS = {"gpt-5", "claude-sonnet-4-5", ""};
    private static final String[] CLIENT_KEYS = {"open", "owner", "ck_1", "ck_2"};

    final List<RequestRecord> written = new ArrayList<>();

    @Test
    void statisticsFromTheSummaryEqualTheRowsAndPercentilesFallInTheExactValuesBucket() {
        writeRandomRows(4000, 7);
        Instant from = START.plus(Duration.ofMinutes(41)).plusMillis(17);
        Instant to = START.plus(Duration.ofDays(3)).plus(Duration.ofMinutes(5));
        for (GroupBy groupBy : GroupBy.values()) {
            for (ZoneId zone : List.of(ZoneOffset.UTC, ZoneId.of("Europe/Berlin"), ZoneId.of("Asia/Kolkata"))) {
                // Only days and hours depend on the zone.
                if (groupBy == GroupBy.DAY || groupBy == GroupBy.HOUR || zone.equals(ZoneOffset.UTC)) {
                    assertStatsMatchRows(groupBy, from, to, zone);
                }
            }
        }
        // A range of whole UTC days and hours only (no part hour read from the rows).
        assertStatsMatchRows(GroupBy.CREDENTIAL, Instant.parse("2026-03-29T00:00:00Z"),
                Instant.parse("2026-03-31T05:00:00Z"), ZoneOffset.UTC);
    }

    @Test
    void chartsFromTheSummaryEqualTheRows() {
        writeRandomRows(3000, 11);
        Instant from = START.plus(Duration.ofMinutes(3));
        Instant to = START.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(30));
        for (Bucket bucket : Bucket.values()) {
            for (Split split : Split.values()) {
                for (ZoneId zone : List.of(ZoneOffset.UTC, ZoneId.of("Asia/Kolkata"))) {
                    List<SeriesPoint> points = stats.series(bucket, split, from, to, zone);
                    Map<String, long[]> expected = new TreeMap<>();
                    for (RequestRecord r : inRange(from, to)) {
                        Instant start = bucketStart(r.startedAt(), bucket, zone);
                        long[] sums = expected.computeIfAbsent(start + " " + splitValue(r, split),
                                k -> new long[3]);
                        sums[0]++;
                        sums[1] += r.success() ? 0 : 1;
                        sums[2] += r.tokens().inputTokens();
                    }
                    Map<String, long[]> actual = new TreeMap<>();
                    for (SeriesPoint p : points) {
                        actual.put(p.bucketStart() + " " + p.series(),
                                new long[]{p.requests(), p.errors(), p.tokens().inputTokens()});
                    }
                    assertThat(actual).as("%s %s %s", bucket, split, zone)
                            .usingRecursiveComparison().isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void theBackfillBuildsTheSameSummaryAsTheWriter() throws SQLException {
        writeRandomRows(2500, 3);
        List<Map<String, Object>> byWriter = summary();
        assertThat(byWriter).isNotEmpty();

        jdbi.useTransaction(h -> UsageSummaryBackfill.rebuild(h.getConnection()));

        assertThat(summary()).isEqualTo(byWriter);
        long hourlyRequests = jdbi.withHandle(h -> h.createQuery("SELECT sum(requests) FROM usage_summary "
                + "WHERE period_ms = 3600000 AND dim = 'all'").mapTo(Long.class).one());
        assertThat(hourlyRequests).isEqualTo(written.size());
    }

    @Test
    void foldingOldRowsKeepsStatisticsAndChartsOfWholeHours() {
        writeRandomRows(2000, 5);
        Instant from = Instant.parse("2026-03-29T00:00:00Z");
        Instant to = Instant.parse("2026-03-31T00:00:00Z");
        List<StatsRow> before = stats.stats(GroupBy.CLIENT_KEY, from, to, ZoneOffset.UTC);
        List<SeriesPoint> chartBefore = stats.series(Bucket.HOUR, Split.MODEL, from, to, ZoneOffset.UTC);

        long folded = new SqlRequestLogRetention(jdbi).rollUpBefore(Instant.parse("2026-03-30T12:00:00Z"),
                ZoneOffset.UTC);

        assertThat(folded).isPositive();
        assertThat(stats.stats(GroupBy.CLIENT_KEY, from, to, ZoneOffset.UTC)).isEqualTo(before);
        assertThat(stats.series(Bucket.HOUR, Split.MODEL, from, to, ZoneOffset.UTC)).isEqualTo(chartBefore);
    }

    @Test
    void aDatabaseFromBeforeTheSummaryIsSummedWhenItIsUpgraded() throws SQLException {
        TestDatabase old = TestDatabase.fresh(dialect(), dir);
        org.flywaydb.core.Flyway.configure().dataSource(old.url(), null, null)
                .locations(dialect().migrations()).target("8").load().migrate();
        // Rows as a server before V9 wrote them: request_log only (one of them a roll-up of three requests).
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(old.url());
             java.sql.Statement s = c.createStatement()) {
            long hour = Instant.parse("2026-03-29T10:00:00Z").toEpochMilli();
            s.executeUpdate("INSERT INTO request_log (id, started_at, route, provider, credential_id, model, status, "
                    + "input_tokens, cost_usd, latency_ms, ttfb_ms, error_class, client_key, request_count) VALUES "
                    + "('r1', " + (hour + 1000) + ", '/v1/responses', 'chatgpt-pool', 'chatgpt:a@x.com', 'gpt-5', 200,"
                    + " 10, '0.25', 120, 30, NULL, 'ck_1', 1),"
                    + "('r2', " + (hour + 2000) + ", '/v1/responses', 'chatgpt-pool', 'chatgpt:a@x.com', 'gpt-5', 429,"
                    + " 0, NULL, 40, NULL, 'rate_limited', NULL, 1),"
                    + "('rollup', " + (hour + 3000) + ", 'rollup', 'chatgpt-pool', 'chatgpt:a@x.com', 'gpt-5', 200,"
                    + " 300, '1.5', 999999, NULL, NULL, 'ck_1', 3)");
        }

        SqlUsageStats upgraded = new SqlUsageStats(old.open());

        List<StatsRow> byKey = upgraded.stats(GroupBy.CLIENT_KEY, Instant.parse("2026-03-29T00:00:00Z"),
                Instant.parse("2026-03-30T00:00:00Z"), ZoneOffset.UTC);
        assertThat(byKey).extracting(r -> r.group() + " " + r.requests() + " " + r.errors() + " "
                        + r.tokens().inputTokens() + " " + r.costUsd().stripTrailingZeros().toPlainString())
                .containsExactly("ck_1 4 0 310 1.75", "open 1 1 0 0");
        // The roll-up's latency is an average, not a request's: the percentiles are of the ordinary row alone.
        assertInBucketOf(byKey.getFirst().latencyP95(), 120, "ck_1 latency p95");
        assertInBucketOf(byKey.getFirst().ttfbP50(), 30, "ck_1 ttfb p50");
    }

    // ---------------------------------------------------------------- fixtures

    private void assertStatsMatchRows(GroupBy groupBy, Instant from, Instant to, ZoneId zone) {
        Map<String, List<RequestRecord>> groups = new TreeMap<>();
        for (RequestRecord r : inRange(from, to)) {
            String group = switch (groupBy) {
                case CREDENTIAL -> splitValue(r, Split.CREDENTIAL);
                case MODEL -> splitValue(r, Split.MODEL);
                case CLIENT_KEY -> splitValue(r, Split.CLIENT_KEY);
                case DAY -> r.startedAt().atZone(zone).toLocalDate().toString();
                case HOUR -> DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmXXX")
                        .format(r.startedAt().atZone(zone).truncatedTo(ChronoUnit.HOURS));
            };
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(r);
        }
        List<StatsRow> rows = stats.stats(groupBy, from, to, zone);
        assertThat(rows).extracting(StatsRow::group).as("%s %s", groupBy, zone)
                .containsExactlyInAnyOrderElementsOf(groups.keySet());
        for (StatsRow row : rows) {
            List<RequestRecord> group = groups.get(row.group());
            String what = groupBy + " " + zone + " " + row.group();
            assertThat(row.requests()).as(what).isEqualTo(group.size());
            assertThat(row.errors()).as(what).isEqualTo(group.stream().filter(r -> !r.success()).count());
            assertThat(row.tokens()).as(what).isEqualTo(group.stream().map(RequestRecord::tokens)
                    .reduce(TokenUsage.NONE, TokenUsage::plus));
            assertThat(row.costUsd()).as(what).isEqualByComparingTo(group.stream()
                    .map(r -> r.costUsd().orElse(BigDecimal.ZERO)).reduce(BigDecimal.ZERO, BigDecimal::add));
            List<Long> latencies = group.stream().map(r -> r.latency().toMillis()).toList();
            List<Long> ttfbs = group.stream().flatMap(r -> r.timeToFirstByte().stream()).map(Duration::toMillis)
                    .toList();
            assertInBucketOf(row.latencyP50(), nearestRank(latencies, 50), what + " latency p50");
            assertInBucketOf(row.latencyP95(), nearestRank(latencies, 95), what + " latency p95");
            assertInBucketOf(row.ttfbP50(), nearestRank(ttfbs, 50), what + " ttfb p50");
            assertInBucketOf(row.ttfbP95(), nearestRank(ttfbs, 95), what + " ttfb p95");
        }
    }

    /** The read percentile lies in the histogram bucket of the exact value, and so within 10 % of it. */
    static void assertInBucketOf(Duration actual, long exact, String what) {
        if (exact < 0) {
            assertThat(actual).as(what).isEqualTo(Duration.ZERO);
            return;
        }
        int bucket = UsageHistogram.bucket(exact);
        assertThat(actual.toMillis()).as(what + " (exact " + exact + ")")
                .isBetween(UsageHistogram.lower(bucket), UsageHistogram.upper(bucket))
                .isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(10));
    }

    private static long nearestRank(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((int) ((sorted.size() * (long) p + 99) / 100) - 1);
    }

    private List<RequestRecord> inRange(Instant from, Instant to) {
        Predicate<RequestRecord> in = r -> !r.startedAt().isBefore(from) && r.startedAt().isBefore(to);
        return written.stream().filter(in).toList();
    }

    private static String splitValue(RequestRecord r, Split split) {
        return switch (split) {
            case NONE -> "all";
            case CREDENTIAL -> r.credential().map(CredentialId::value).orElse(r.provider());
            case MODEL -> r.model().isEmpty() ? "unknown" : r.model();
            case CLIENT_KEY -> r.clientKey();
        };
    }

    private static Instant bucketStart(Instant at, Bucket bucket, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        return bucket == Bucket.DAY ? local.toLocalDate().atStartOfDay(zone).toInstant()
                : local.truncatedTo(ChronoUnit.HOURS).toInstant();
    }

    private List<Map<String, Object>> summary() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM usage_summary "
                + "ORDER BY period_ms, dim, period_start, value").mapToMap().list());
    }

    /** {@code n} rows from {@link #START} over three days, through the request log's writer. */
    void writeRandomRows(int n, long seed) {
        Random random = new Random(seed);
        long span = Duration.ofDays(3).toMillis();
        try (SqlRequestLog log = new SqlRequestLog(jdbi)) {
            for (int i = 0; i < n; i++) {
                Instant at = START.plusMillis((long) (random.nextDouble() * span));
                String credential = CREDENTIALS[random.nextInt(CREDENTIALS.length)];
                int status = random.nextInt(20) == 0 ? 429 : random.nextInt(30) == 0 ? 502 : 200;
                // Latencies from 0 ms to a few minutes, spread over many buckets.
                long latency = (long) Math.pow(10, random.nextDouble() * 5.3);
                Optional<Duration> ttfb = random.nextBoolean()
                        ? Optional.of(Duration.ofMillis(random.nextInt((int) latency + 1))) : Optional.empty();
                RequestRecord r = new RequestRecord("req-" + i, at, "/v1/responses",
                        credential == null ? "vertex-ai" : "chatgpt-pool",
                        Optional.ofNullable(credential).map(CredentialId::new), MODELS[random.nextInt(MODELS.length)],
                        Optional.empty(), status,
                        new TokenUsage(random.nextInt(5000), random.nextInt(100), 0, random.nextInt(900), 0),
                        random.nextInt(7) == 0 ? Optional.empty()
                                : Optional.of(BigDecimal.valueOf(random.nextInt(1_000_000), 9)),
                        Duration.ofMillis(latency), ttfb,
                        status == 200 ? Optional.empty() : Optional.of("upstream_error"), Optional.empty(),
                        Optional.empty(), false, "", CLIENT_KEYS[random.nextInt(CLIENT_KEYS.length)],
                        Optional.empty());
                log.append(r);
                written.add(r);
            }
        }
        written.sort(Comparator.comparing(RequestRecord::startedAt));
    }
}
