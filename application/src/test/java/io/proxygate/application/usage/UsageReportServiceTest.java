package io.proxygate.application.usage;

import io.proxygate.application.port.out.UsageSeriesPort;
import io.proxygate.application.port.out.UsageStatsPort;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.usage.ModelPrice;
import io.proxygate.domain.usage.TokenRates;
import io.proxygate.domain.usage.TokenUsage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class UsageReportServiceTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** 01:30 on June 2nd in Tokyo, still June 1st in UTC. */
    private static final Instant NOW = Instant.parse("2025-06-01T16:30:00Z");
    private static final ModelPrice GPT5 = ModelPrice.of(new TokenRates(new BigDecimal("0.00000125"),
            new BigDecimal("0.00001"), new BigDecimal("0.000000125"), BigDecimal.ZERO, BigDecimal.ZERO));

    private final List<Instant[]> asked = new ArrayList<>();

    @Test
    void todayIsTheServersLocalDayAndKeysFollowTheOriginalsNames() {
        UsageReportService service = service(List.of(
                totals("chatgpt:a@example.com", "gpt-5", 2, 0, "0.5"),
                totals("claude:c@example.com", "claude-sonnet-4-6", 1, 0, "0.2"),
                totals("key:openai-1", "gpt-4o", 1, 0, "0.1"),
                totals("vertex-ai", "claude-opus-4-6", 1, 0, "0.3"),
                new UsageTotals(Optional.empty(), Optional.of("gpt-5"), Optional.empty(), 1, 1, 0, TokenUsage.NONE,
                        BigDecimal.ZERO)), Map.of());

        TodayUsage today = service.today();

        assertThat(asked.get(0)[0]).isEqualTo(Instant.parse("2025-06-01T15:00:00Z"));
        assertThat(asked.get(0)[1]).isEqualTo(Instant.parse("2025-06-02T15:00:00Z"));
        assertThat(today.today().date()).hasToString("2025-06-02");
        assertThat(today.today().requests()).isEqualTo(6);
        assertThat(today.today().errors()).isEqualTo(1);
        assertThat(today.byAccount()).containsOnlyKeys("a@example.com", "claude:c@example.com");
        assertThat(today.byKey()).containsOnlyKeys("openai-1", "vertex-ai");
        assertThat(today.byAccount().get("a@example.com").model()).isEmpty();
    }

    @Test
    void rowsLoggedWithoutAPriceArePricedOnceTheModelIsKnown() {
        UsageReportService service = service(List.of(
                new UsageTotals(Optional.of(new CredentialId("chatgpt:a@example.com")), Optional.of("gpt-5"),
                        Optional.empty(), 1, 0, 1, new TokenUsage(1_000_000, 0, 0, 0, 0), BigDecimal.ZERO),
                new UsageTotals(Optional.of(new CredentialId("key:openai-1")), Optional.of("mystery-model"),
                        Optional.empty(), 1, 0, 1, new TokenUsage(10, 0, 0, 10, 0), BigDecimal.ZERO)),
                Map.of("gpt-5", GPT5));

        CostReport cost = service.costToday();

        assertThat(cost.equivalentCost()).isEqualByComparingTo("1.25");
        assertThat(cost.byAccount().get(0).total().unpriced()).isZero();
        assertThat(cost.realCost()).isEqualByComparingTo("0");
        assertThat(cost.byKey().get(0).total().unpriced()).as("still unknown").isEqualTo(1);
        assertThat(cost.today().cost()).isEqualByComparingTo("1.25");
    }

    @Test
    void costRowsComeMostExpensiveFirstWithTheirModelsByCost() {
        UsageReportService service = service(List.of(
                totals("chatgpt:a@example.com", "gpt-5-mini", 5, 0, "0.01"),
                totals("chatgpt:a@example.com", "gpt-5", 1, 0, "0.40"),
                totals("chatgpt:b@example.com", "gpt-5", 1, 0, "1.00")), Map.of());

        CostReport cost = service.costToday();

        assertThat(cost.byAccount()).extracting(CostReport.Row::id).containsExactly("b@example.com", "a@example.com");
        assertThat(cost.byAccount().get(1).byModel()).extracting(s -> s.model().orElseThrow())
                .containsExactly("gpt-5", "gpt-5-mini");
        assertThat(cost.byAccount().get(1).total().requests()).isEqualTo(6);
    }

    private UsageReportService service(List<UsageTotals> rows, Map<String, ModelPrice> prices) {
        UsageStatsPort stats = new UsageStatsPort() {
            @Override
            public List<UsageTotals> totalsByCredential(Instant from, Instant to) {
                return List.of();
            }

            @Override
            public List<UsageTotals> totalsByCredentialAndModel(Instant from, Instant to) {
                asked.add(new Instant[]{from, to});
                return rows;
            }

            @Override
            public List<StatsRow> stats(GroupBy groupBy, Instant from, Instant to, ZoneId zone) {
                return List.of();
            }

            @Override
            public List<RequestRecord> recent(int limit, Optional<CredentialId> credential) {
                return List.of();
            }
        };
        UsageSeriesPort series = (bucket, split, from, to, zone) -> List.of();
        return new UsageReportService(stats, series, m -> Optional.ofNullable(prices.get(m)), InstantSource.fixed(NOW),
                TOKYO);
    }

    private static UsageTotals totals(String id, String model, long requests, long errors, String cost) {
        return new UsageTotals(Optional.of(new CredentialId(id)), Optional.of(model), Optional.empty(), requests,
                errors, 0, new TokenUsage(10, 0, 0, 5, 0), new BigDecimal(cost));
    }
}
