package io.proxygate.application.usage;

import io.proxygate.application.port.out.PriceCachePort;
import io.proxygate.application.port.out.PriceCachePort.CachedPrices;
import io.proxygate.application.port.out.PriceSourceException;
import io.proxygate.application.port.out.PriceSourcePort;
import io.proxygate.domain.usage.ModelPrice;
import io.proxygate.domain.usage.PriceTable;
import io.proxygate.domain.usage.TokenRates;
import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.domain.usage.UsageConvention;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PricingServiceTest {
    private static final Instant T0 = Instant.parse("2026-07-24T10:00:00Z");
    private static final TokenUsage MILLION_IN = new TokenUsage(1_000_000, 0, 0, 0, 0);

    private static PriceTable table(String model, String inputRate) {
        return PriceTable.of(Map.of(model, ModelPrice.of(new TokenRates(new BigDecimal(inputRate),
                new BigDecimal("1e-5"), new BigDecimal("1e-7"), new BigDecimal("2e-6"), BigDecimal.ZERO))));
    }

    private static final PriceTable BUILT_IN = table("gpt-5", "1.25e-6");

    /** A source answering from a script: a table, or a failure message. */
    static final class ScriptedSource implements PriceSourcePort {
        final Deque<Object> answers = new ArrayDeque<>();
        int fetches;

        @Override
        public String location() {
            return "https://prices.example.test/prices.json";
        }

        @Override
        public PriceTable fetch() throws PriceSourceException {
            fetches++;
            Object next = answers.poll();
            if (next instanceof PriceTable t) {
                return t;
            }
            throw new PriceSourceException(next == null ? "no answer scripted" : next.toString());
        }
    }

    static final class MemoryCache implements PriceCachePort {
        Optional<CachedPrices> stored = Optional.empty();

        @Override
        public Optional<CachedPrices> load() {
            return stored;
        }

        @Override
        public void save(CachedPrices prices) {
            stored = Optional.of(prices);
        }
    }

    /** Records the delays the service asks for and runs nothing. */
    static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        final List<Duration> delays = new ArrayList<>();

        RecordingScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delays.add(Duration.of(unit.toMillis(delay), java.time.temporal.ChronoUnit.MILLIS));
            return super.schedule(() -> { }, 1, TimeUnit.DAYS);
        }
    }

    private final ScriptedSource source = new ScriptedSource();
    private final MemoryCache cache = new MemoryCache();
    private final RecordingScheduler scheduler = new RecordingScheduler();
    /** A clock the test moves by hand. */
    static final class ManualClock implements InstantSource {
        volatile Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();

    private PricingService service() {
        return new PricingService(source, cache, BUILT_IN, clock, PricingService.Settings.DEFAULT, scheduler);
    }

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void startsWithTheBuiltInTableWhenNothingIsCached() {
        PricingService pricing = service();
        assertThat(pricing.status().origin()).isEqualTo(PriceOrigin.EMBEDDED);
        assertThat(pricing.estimate("gpt-5", Optional.empty(), MILLION_IN)).contains(new BigDecimal("1.25"));
        assertThat(source.fetches).isZero();
    }

    @Test
    void aCallWithNoModelAndNoTokensCostsNothingAndIsNoUnpricedRequest() {
        PricingService pricing = service();
        for (String model : new String[]{null, "", "unknown"}) {
            assertThat(pricing.estimate(model, Optional.empty(), io.proxygate.domain.usage.TokenUsage.NONE))
                    .as(String.valueOf(model)).contains(BigDecimal.ZERO);
        }
        assertThat(pricing.estimate("unknown", Optional.empty(), MILLION_IN)).as("tokens of no known model").isEmpty();
        assertThat(pricing.estimate("no-such-model", Optional.empty(), io.proxygate.domain.usage.TokenUsage.NONE))
                .as("a model without a price stays unpriced").isEmpty();
        assertThat(pricing.misses()).containsOnlyKeys("no-such-model");
    }

    @Test
    void aBudgetReservationsGuessIsNoPricedRequestSoItCountsNoMiss() {
        PricingService pricing = service();
        assertThat(pricing.foresee("gpt-5", MILLION_IN)).contains(new BigDecimal("1.25"));
        assertThat(pricing.foresee("gpt-9-preview", MILLION_IN)).isEmpty();
        assertThat(pricing.misses()).isEmpty();
    }

    @Test
    void successfulRefreshReplacesTheTableAndWritesTheCache() {
        source.answers.add(table("gpt-5", "2e-6"));
        PricingService pricing = service();
        PricingStatus status = pricing.refresh();
        assertThat(status.origin()).isEqualTo(PriceOrigin.LITELLM);
        assertThat(status.modelsCount()).isEqualTo(1);
        assertThat(status.fetchedAt()).contains(T0);
        assertThat(status.lastSuccessAt()).contains(T0);
        assertThat(status.lastError()).isEmpty();
        assertThat(pricing.estimate("gpt-5", Optional.empty(), MILLION_IN)).contains(new BigDecimal("2"));
        assertThat(cache.stored).hasValueSatisfying(c -> {
            assertThat(c.fetchedAt()).isEqualTo(T0);
            assertThat(c.source()).isEqualTo(source.location());
        });
    }

    @Test
    void newInstanceUsesTheCachedTableBeforeAnyFetch() {
        source.answers.add(table("gpt-5", "2e-6"));
        service().refresh();

        clock.now = T0.plusSeconds(3600);
        PricingService restarted = service();
        assertThat(restarted.status().origin()).isEqualTo(PriceOrigin.CACHE);
        assertThat(restarted.status().fetchedAt()).contains(T0);
        assertThat(restarted.estimate("gpt-5", Optional.empty(), MILLION_IN)).contains(new BigDecimal("2"));
        assertThat(source.fetches).isEqualTo(1);
    }

    @Test
    void failedRefreshKeepsTheOldTableAndRecordsTheError() {
        source.answers.add(table("gpt-5", "2e-6"));
        source.answers.add("HTTP 503");
        PricingService pricing = service();
        pricing.refresh();
        clock.now = T0.plusSeconds(60);
        PricingStatus status = pricing.refresh();
        assertThat(status.origin()).isEqualTo(PriceOrigin.LITELLM);
        assertThat(status.lastError()).contains("HTTP 503");
        assertThat(status.lastAttemptAt()).contains(T0.plusSeconds(60));
        assertThat(status.lastSuccessAt()).contains(T0);
        assertThat(pricing.estimate("gpt-5", Optional.empty(), MILLION_IN)).contains(new BigDecimal("2"));
    }

    @Test
    void emptyFetchedTableCountsAsFailure() {
        source.answers.add(PriceTable.EMPTY);
        PricingService pricing = service();
        PricingStatus status = pricing.refresh();
        assertThat(status.origin()).isEqualTo(PriceOrigin.EMBEDDED);
        assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("no priced models"));
        assertThat(cache.stored).isEmpty();
    }

    @Test
    void modelsMissingFromTheFetchedTableFallBackToTheBuiltInTable() {
        source.answers.add(table("claude-sonnet-4-5", "3e-6"));
        PricingService pricing = service();
        pricing.refresh();
        assertThat(pricing.estimate("gpt-5", Optional.empty(), MILLION_IN)).contains(new BigDecimal("1.25"));
        assertThat(pricing.estimate("claude-sonnet-4-5", Optional.empty(), MILLION_IN)).contains(new BigDecimal("3"));
    }

    @Test
    void anthropicConventionBillsCacheReadsOnTopOfInput() {
        PricingService pricing = service();
        TokenUsage tokens = new TokenUsage(1_000_000, 1_000_000, 1_000_000, 0, 0);
        // input $1.25 + cache reads $0.10 + cache writes $2.00
        assertThat(pricing.estimate("gpt-5", Optional.empty(), tokens, UsageConvention.ANTHROPIC))
                .contains(new BigDecimal("3.35"));
        // OpenAI convention: all input was cached
        assertThat(pricing.estimate("gpt-5", Optional.empty(), tokens, UsageConvention.OPENAI))
                .contains(new BigDecimal("0.1"));
    }

    @Test
    void unpricedModelsAreCountedPerModelAndTier() {
        PricingService pricing = service();
        assertThat(pricing.estimate("gpt-9", Optional.empty(), MILLION_IN)).isEmpty();
        pricing.estimate("gpt-9", Optional.of("default"), MILLION_IN);
        pricing.estimate("gpt-9", Optional.of("Priority"), MILLION_IN);
        pricing.estimate("unknown", Optional.empty(), MILLION_IN);
        pricing.estimate("", Optional.empty(), MILLION_IN);
        pricing.estimate("gpt-5", Optional.empty(), MILLION_IN);
        assertThat(pricing.misses()).containsExactly(Map.entry("gpt-9", 2L), Map.entry("gpt-9@priority", 1L));
    }

    @Test
    void firstFetchWaitsUntilTheCachedTableIsADayOld() {
        cache.stored = Optional.of(new CachedPrices(table("gpt-5", "2e-6"), T0.minus(Duration.ofHours(20)),
                "https://prices.example.test/prices.json"));
        try (PricingService pricing = service()) {
            pricing.start();
            assertThat(scheduler.delays).containsExactly(Duration.ofHours(4));
        }
    }

    @Test
    void firstFetchComesSoonWithoutAFreshCache() {
        cache.stored = Optional.of(new CachedPrices(table("gpt-5", "2e-6"), T0.minus(Duration.ofDays(3)), "x"));
        try (PricingService pricing = service()) {
            pricing.start();
            pricing.start();
            assertThat(scheduler.delays).containsExactly(Duration.ofSeconds(5));
        }
    }

    @Test
    void theBuiltInTableIsReadOnFirstNeedOnlyOnce() {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        try (PricingService lazy = new PricingService(source, cache, () -> {
            reads.incrementAndGet();
            return BUILT_IN;
        }, clock, PricingService.Settings.DEFAULT, scheduler)) {
            assertThat(reads).as("the constructor reads nothing").hasValue(0);
            assertThat(lazy.estimate("gpt-5", Optional.empty(), MILLION_IN)).hasValueSatisfying(
                    c -> assertThat(c).isEqualByComparingTo("1.25"));
            assertThat(lazy.estimate("gpt-5", Optional.empty(), MILLION_IN)).isPresent();
            assertThat(reads).hasValue(1);
        }
    }

    @Test
    void theWarmUpReadsTheTablesOnItsOwnThread() throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> readBy = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
        try (PricingService warmed = new PricingService(source, cache, () -> {
            readBy.set(Thread.currentThread().getName());
            read.countDown();
            return BUILT_IN;
        }, clock, PricingService.Settings.DEFAULT, scheduler)) {
            warmed.warmUpInBackground();
            assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(readBy).hasValue("pricing-load");
            assertThat(warmed.status().origin()).isEqualTo(PriceOrigin.EMBEDDED);
            assertThat(warmed.status().modelsCount()).isEqualTo(1);
        }
    }
}
