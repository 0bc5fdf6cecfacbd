package io.proxygate.application.usage;

import io.proxygate.application.port.out.PriceCachePort;
import io.proxygate.application.port.out.PriceCachePort.CachedPrices;
import io.proxygate.application.port.out.PriceSourceException;
import io.proxygate.application.port.out.PriceSourcePort;
import io.proxygate.domain.usage.CostCalculator;
import io.proxygate.domain.usage.ModelPrice;
import io.proxygate.domain.usage.PriceTable;
import io.proxygate.domain.usage.PriceTier;
import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.domain.usage.UsageConvention;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Owns the model price table: starts from the last cached fetch (else the built-in table), refreshes it from the
 * configured source daily and on demand, keeps the old table when a refresh fails, and prices requests. Models the
 * fetched table lacks are looked up in the built-in table; models neither knows are counted as misses per
 * {@code model[@tier]}. Callers should price successful requests only, so the miss counters mean "served but
 * unpriced".
 */
public final class PricingService implements CostEstimator, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PricingService.class.getName());

    /**
     * @param refreshInterval  time between successful refreshes (24 h by default)
     * @param firstFetchDelay  delay of the first fetch after {@link #start()} (5 s by default)
     * @param retryAfterFailure delay before retrying a failed refresh
     */
    public record Settings(Duration refreshInterval, Duration firstFetchDelay, Duration retryAfterFailure) {
        public static final Settings DEFAULT = new Settings(Duration.ofHours(24), Duration.ofSeconds(5),
                Duration.ofHours(1));

        public Settings {
            requirePositive(refreshInterval, "refreshInterval");
            Objects.requireNonNull(firstFetchDelay, "firstFetchDelay");
            if (firstFetchDelay.isNegative()) {
                throw new IllegalArgumentException("firstFetchDelay must not be negative");
            }
            requirePositive(retryAfterFailure, "retryAfterFailure");
        }

        private static void requirePositive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
        }
    }

    private record Active(PriceTable table, PriceOrigin origin, Optional<Instant> fetchedAt) {
    }

    private final PriceSourcePort source;
    private final PriceCachePort cache;
    private final Supplier<PriceTable> builtInSource;
    private final Object loadLock = new Object();
    private volatile PriceTable builtIn;
    private final InstantSource clock;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private final Map<String, LongAdder> misses = new ConcurrentHashMap<>();

    /** Null until the first use or {@link #warmUpInBackground()}: loading the tables takes a while. */
    private volatile Active active;
    private volatile Optional<Instant> lastAttemptAt = Optional.empty();
    private volatile Optional<Instant> lastSuccessAt = Optional.empty();
    private volatile Optional<String> lastError = Optional.empty();
    private ScheduledFuture<?> nextRefresh;
    private boolean closed;

    /** A service with its own daemon refresh thread and the default schedule. */
    public PricingService(PriceSourcePort source, PriceCachePort cache, PriceTable builtIn, InstantSource clock) {
        this(source, cache, builtIn, clock, Settings.DEFAULT, null);
    }

    /** A service with a built-in table at hand. */
    public PricingService(PriceSourcePort source, PriceCachePort cache, PriceTable builtIn, InstantSource clock,
                          Settings settings, ScheduledExecutorService scheduler) {
        this(source, cache, constant(builtIn), clock, settings, scheduler);
    }

    /** A service whose built-in table is read on first need (or by {@link #warmUpInBackground()}). */
    public PricingService(PriceSourcePort source, PriceCachePort cache, Supplier<PriceTable> builtIn,
                          InstantSource clock) {
        this(source, cache, builtIn, clock, Settings.DEFAULT, null);
    }

    /**
     * The cached table (prices survive a restart before any fetch), else the built-in one, is loaded on first use,
     * or ahead of it by {@link #warmUpInBackground()}.
     *
     * @param scheduler runs the refreshes; {@code null} to let the service own a single daemon thread
     */
    public PricingService(PriceSourcePort source, PriceCachePort cache, Supplier<PriceTable> builtIn,
                          InstantSource clock, Settings settings, ScheduledExecutorService scheduler) {
        this.source = Objects.requireNonNull(source, "source");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.builtInSource = Objects.requireNonNull(builtIn, "builtIn");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ownsScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler : Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("pricing-refresh").daemon().factory());
    }

    private static Supplier<PriceTable> constant(PriceTable table) {
        Objects.requireNonNull(table, "builtIn");
        return () -> table;
    }

    /**
     * Loads the cached and built-in tables on a daemon thread, so that start-up goes on meanwhile (the whole
     * LiteLLM table takes a few hundred milliseconds to read on a cold JVM) and the first request finds them ready.
     */
    public void warmUpInBackground() {
        Thread.ofPlatform().name("pricing-load").daemon().start(() -> {
            active();
            builtIn();
        });
    }

    private PriceTable builtIn() {
        PriceTable table = builtIn;
        if (table == null) {
            synchronized (loadLock) {
                table = builtIn;
                if (table == null) {
                    table = Objects.requireNonNull(builtInSource.get(), "built-in price table");
                    builtIn = table;
                }
            }
        }
        return table;
    }

    private Active active() {
        Active current = active;
        if (current == null) {
            synchronized (loadLock) {
                current = active;
                if (current == null) {
                    current = cache.load()
                            .filter(c -> c.table().size() > 0)
                            .map(c -> new Active(c.table(), PriceOrigin.CACHE, Optional.of(c.fetchedAt())))
                            .orElseGet(() -> new Active(builtIn(), PriceOrigin.EMBEDDED, Optional.empty()));
                    active = current;
                }
            }
        }
        return current;
    }

    /**
     * Schedules the refreshes: the first one after {@code firstFetchDelay}, or when the cached table turns a
     * {@code refreshInterval} old if that is later, then every {@code refreshInterval}.
     */
    public synchronized void start() {
        if (closed || nextRefresh != null) {
            return;
        }
        Duration delay = settings.firstFetchDelay();
        Active current = active();
        if (current.origin() == PriceOrigin.CACHE && current.fetchedAt().isPresent()) {
            Duration untilStale = Duration.between(clock.instant(),
                    current.fetchedAt().get().plus(settings.refreshInterval()));
            if (untilStale.compareTo(delay) > 0) {
                delay = untilStale;
            }
        }
        schedule(delay);
    }

    /** Fetches now (waiting for a refresh already running) and returns the resulting status. */
    public PricingStatus refresh() {
        refreshLock.lock();
        try {
            Instant at = clock.instant();
            lastAttemptAt = Optional.of(at);
            try {
                PriceTable fetched = source.fetch();
                if (fetched.size() == 0) {
                    throw new PriceSourceException("no priced models in " + source.location());
                }
                synchronized (loadLock) {
                    active = new Active(fetched, PriceOrigin.LITELLM, Optional.of(at));
                }
                lastSuccessAt = Optional.of(at);
                lastError = Optional.empty();
                LOG.log(System.Logger.Level.INFO, "pricing: loaded {0} models from {1}", fetched.size(),
                        source.location());
                saveToCache(new CachedPrices(fetched, at, source.location()));
            } catch (PriceSourceException e) {
                lastError = Optional.of(e.getMessage());
                LOG.log(System.Logger.Level.WARNING, "pricing: refresh from {0} failed, keeping {1} prices: {2}",
                        source.location(), active().origin().wireName(), e.getMessage());
            } catch (RuntimeException e) {
                // A bug in a source must neither kill the refresh schedule nor hide behind a stale "ok" status.
                lastError = Optional.of("unexpected error: " + e);
                LOG.log(System.Logger.Level.ERROR, "pricing: refresh from " + source.location() + " crashed", e);
            }
            return status();
        } finally {
            refreshLock.unlock();
        }
    }

    public PricingStatus status() {
        Active current = active();
        return new PricingStatus(current.origin(), current.table().size(), current.fetchedAt(), source.location(),
                lastAttemptAt, lastSuccessAt, lastError);
    }

    /** The table in use (without the built-in fallback). */
    public PriceTable prices() {
        return active().table();
    }

    /** The model's prices: the table in use, then the built-in table. */
    public Optional<ModelPrice> lookup(String model) {
        return active().table().lookup(model, builtIn());
    }

    @Override
    public Optional<BigDecimal> estimate(String model, Optional<String> serviceTier, TokenUsage tokens) {
        return estimate(model, serviceTier, tokens, UsageConvention.forModel(model));
    }

    @Override
    public Optional<BigDecimal> estimate(String model, Optional<String> serviceTier, TokenUsage tokens,
                                         UsageConvention convention) {
        Optional<String> tier = serviceTier == null ? Optional.empty() : serviceTier;
        if (noModel(model) && (tokens == null || tokens.equals(TokenUsage.NONE))) {
            // Nothing was used (a passthrough call, the model list): it costs nothing, and is no unpriced request.
            return Optional.of(BigDecimal.ZERO);
        }
        Optional<BigDecimal> cost = price(model, tier, tokens, convention);
        if (cost.isEmpty()) {
            recordMiss(model, tier);
        }
        return cost;
    }

    @Override
    public Optional<BigDecimal> foresee(String model, TokenUsage tokens) {
        return price(model, Optional.empty(), tokens, UsageConvention.forModel(model));
    }

    /** The cost of {@code tokens} at the model's price; empty when it has none. Counts nothing. */
    private Optional<BigDecimal> price(String model, Optional<String> tier, TokenUsage tokens,
                                       UsageConvention convention) {
        return lookup(model).map(price -> CostCalculator.cost(price, PriceTier.of(tier), tokens, convention));
    }

    /** Unpriced lookups so far, by {@code model} or {@code model@tier}, sorted by key. */
    public Map<String, Long> misses() {
        Map<String, Long> copy = new TreeMap<>();
        misses.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (nextRefresh != null) {
            nextRefresh.cancel(false);
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }

    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        nextRefresh = scheduler.schedule(this::scheduledRefresh, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void scheduledRefresh() {
        boolean ok = refresh().lastError().isEmpty();
        schedule(ok ? settings.refreshInterval() : settings.retryAfterFailure());
    }

    private void saveToCache(CachedPrices prices) {
        try {
            cache.save(prices);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "pricing: could not write the price cache: {0}", e.toString());
        }
    }

    private static boolean noModel(String model) {
        return model == null || model.isBlank() || model.equals("unknown");
    }

    /** Counts a miss under its billing key: the model alone for the default tiers, else {@code model@tier}. */
    private void recordMiss(String model, Optional<String> tier) {
        if (noModel(model)) {
            return;
        }
        String t = tier.map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse("");
        String key = t.isEmpty() || t.equals("default") || t.equals("auto") ? model : model + "@" + t;
        misses.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
}
