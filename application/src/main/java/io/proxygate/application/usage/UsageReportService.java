package io.proxygate.application.usage;

import io.proxygate.application.port.out.UsageSeriesPort;
import io.proxygate.application.port.out.UsageStatsPort;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.usage.CostCalculator;
import io.proxygate.domain.usage.ModelPrice;
import io.proxygate.domain.usage.PriceTier;
import io.proxygate.domain.usage.UsageConvention;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Usage reports over the request log: today's usage (the server's local day), the cost
 * report, grouped statistics, chart series and recent requests. Rows of a model that had no price when they were
 * logged are priced at read time once the price table knows the model.
 */
public final class UsageReportService {
    /** Most rows {@link #recent} returns. */
    public static final int MAX_RECENT = 1000;
    /** The id under which Vertex AI fallback traffic is counted, with the keys. */
    public static final String VERTEX = "vertex-ai";

    /** Where a credential's usage appears in the reports: by account or by key, under which name. */
    public record UsageKey(boolean account, String name) {
        /** ChatGPT: the email; Claude: {@code claude:<email>}; keys: the id; Vertex AI: {@code vertex-ai}. */
        public static Optional<UsageKey> of(CredentialId id) {
            String v = id.value();
            if (v.startsWith("chatgpt:")) {
                return Optional.of(new UsageKey(true, v.substring("chatgpt:".length())));
            }
            if (v.startsWith("claude:")) {
                return Optional.of(new UsageKey(true, v));
            }
            if (v.startsWith("key:")) {
                return Optional.of(new UsageKey(false, v.substring("key:".length())));
            }
            if (v.equals(VERTEX)) {
                return Optional.of(new UsageKey(false, VERTEX));
            }
            return Optional.empty();
        }
    }

    private final UsageStatsPort stats;
    private final UsageSeriesPort series;
    private final Function<String, Optional<ModelPrice>> prices;
    private final InstantSource clock;
    private final ZoneId zone;

    /**
     * @param prices the current price of a model ({@code PricingService::lookup}); used only to price rows that
     *               were logged without a price
     * @param zone   the server's zone: "today", days and hours are local to it
     */
    public UsageReportService(UsageStatsPort stats, UsageSeriesPort series,
                              Function<String, Optional<ModelPrice>> prices, InstantSource clock, ZoneId zone) {
        this.stats = Objects.requireNonNull(stats, "stats");
        this.series = Objects.requireNonNull(series, "series");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public ZoneId zone() {
        return zone;
    }

    /** Today's usage in total, by account and by key. */
    public TodayUsage today() {
        Day day = today(clock.instant());
        List<UsageTotals> rows = stats.totalsByCredentialAndModel(day.from, day.to);
        UsageSummary total = UsageSummary.empty(day.date);
        Map<String, UsageSummary> byAccount = new LinkedHashMap<>();
        Map<String, UsageSummary> byKey = new LinkedHashMap<>();
        for (UsageTotals row : rows) {
            UsageSummary s = summary(day.date, repriced(row)).plus(UsageSummary.empty(day.date));
            total = total.plus(s);
            Optional<UsageKey> key = row.credential().flatMap(UsageKey::of);
            if (key.isPresent()) {
                (key.get().account() ? byAccount : byKey).merge(key.get().name(), s, UsageSummary::plus);
            }
        }
        return new TodayUsage(total, byAccount, byKey);
    }

    /** Today's cost: real (keys, Vertex AI) against API-equivalent (subscription accounts), by model. */
    public CostReport costToday() {
        Day day = today(clock.instant());
        List<UsageTotals> rows = stats.totalsByCredentialAndModel(day.from, day.to);
        UsageSummary total = UsageSummary.empty(day.date);
        Map<UsageKey, List<UsageSummary>> models = new LinkedHashMap<>();
        for (UsageTotals row : rows) {
            UsageSummary s = summary(day.date, repriced(row));
            total = total.plus(s);
            row.credential().flatMap(UsageKey::of)
                    .ifPresent(key -> models.computeIfAbsent(key, k -> new ArrayList<>()).add(s));
        }
        List<CostReport.Row> accounts = new ArrayList<>();
        List<CostReport.Row> keys = new ArrayList<>();
        BigDecimal real = BigDecimal.ZERO;
        BigDecimal equivalent = BigDecimal.ZERO;
        for (Map.Entry<UsageKey, List<UsageSummary>> e : models.entrySet()) {
            UsageSummary sum = UsageSummary.empty(day.date);
            for (UsageSummary s : e.getValue()) {
                sum = sum.plus(s);
            }
            List<UsageSummary> byModel = e.getValue().stream()
                    .sorted(Comparator.comparing(UsageSummary::cost).reversed()
                            .thenComparing(s -> s.model().orElse("")))
                    .toList();
            CostReport.Row row = new CostReport.Row(e.getKey().name(), sum, byModel);
            if (e.getKey().account()) {
                accounts.add(row);
                equivalent = equivalent.add(sum.cost());
            } else {
                keys.add(row);
                real = real.add(sum.cost());
            }
        }
        Comparator<CostReport.Row> byCost = Comparator.comparing((CostReport.Row r) -> r.total().cost()).reversed()
                .thenComparing(CostReport.Row::id);
        accounts.sort(byCost);
        keys.sort(byCost);
        return new CostReport(total, real, equivalent, accounts, keys);
    }

    /** Grouped statistics with latency and time-to-first-byte percentiles. */
    public List<StatsRow> stats(UsageStatsPort.GroupBy groupBy, Instant from, Instant to) {
        checkRange(from, to);
        return stats.stats(groupBy, from, to, zone);
    }

    /** Points of a usage chart. */
    public List<SeriesPoint> series(UsageSeriesPort.Bucket bucket, UsageSeriesPort.Split split, Instant from,
                                    Instant to) {
        checkRange(from, to);
        return series.series(bucket, split, from, to, zone);
    }

    /** The most recent requests, newest first, optionally of one credential; {@code limit} is capped. */
    public List<RequestRecord> recent(int limit, Optional<CredentialId> credential) {
        return recent(limit, credential, Optional.empty());
    }

    /** As {@link #recent(int, Optional)}, optionally of one client key only. */
    public List<RequestRecord> recent(int limit, Optional<CredentialId> credential, Optional<String> clientKey) {
        return stats.recent(Math.max(1, Math.min(limit, MAX_RECENT)), credential, clientKey);
    }

    /** A model row that was logged without a price but has one now is priced from its tokens. */
    private UsageTotals repriced(UsageTotals row) {
        if (row.unpriced() == 0 || row.model().isEmpty()) {
            return row;
        }
        Optional<ModelPrice> price = prices.apply(row.model().get()).filter(ModelPrice::isPriced);
        if (price.isEmpty()) {
            return row;
        }
        BigDecimal cost = CostCalculator.costOfTotals(price.get(), PriceTier.of(row.serviceTier()), row.tokens(),
                convention(row));
        return new UsageTotals(row.credential(), row.model(), row.serviceTier(), row.requests(), row.errors(), 0,
                row.tokens(), cost);
    }

    private static UsageConvention convention(UsageTotals row) {
        String id = row.credential().map(CredentialId::value).orElse("");
        if (id.startsWith("claude:") || id.equals(VERTEX)) {
            return UsageConvention.ANTHROPIC;
        }
        if (id.startsWith("chatgpt:")) {
            return UsageConvention.OPENAI;
        }
        return UsageConvention.forModel(row.model().orElse(""));
    }

    private static UsageSummary summary(LocalDate date, UsageTotals t) {
        return new UsageSummary(date, t.requests(), t.errors(), t.unpriced(), t.tokens(), t.costUsd(), t.model(),
                t.serviceTier());
    }

    private record Day(LocalDate date, Instant from, Instant to) {
    }

    private Day today(Instant now) {
        LocalDate date = LocalDate.ofInstant(now, zone);
        return new Day(date, date.atStartOfDay(zone).toInstant(), date.plusDays(1).atStartOfDay(zone).toInstant());
    }

    private static void checkRange(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("since must be before until");
        }
    }
}
