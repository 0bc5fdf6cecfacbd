package io.proxygate.bootstrap.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.usage.TokenUsage;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns every finished request into Dropwizard metrics before handing it to the request log: request and error
 * rates, latency and time-to-first-byte timers per route and per upstream, token counters per model and kind.
 * The model is chosen by the client, so only models in the price table get counters of their own; every other name
 * counts under {@value #OTHER_MODEL}, which keeps the number of series bounded whatever clients send.
 */
public final class MeteredRequestLog implements RequestLogPort {
    private static final Pattern UNSAFE_RUN = Pattern.compile("[^a-z0-9_-]+");
    private static final Pattern EDGE_UNDERSCORES = Pattern.compile("^_+|_+$");
    private static final int MAX_CACHED_NAMES = 1024;
    private static final ConcurrentHashMap<String, String> NAMES = new ConcurrentHashMap<>();

    private final RequestLogPort delegate;
    private final MetricRegistry metrics;
    // Metric handles by name segment: looked up once, not rebuilt from strings on every request.
    private final ConcurrentHashMap<String, Series> routes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Series> upstreams = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TokenCounters> models = new ConcurrentHashMap<>();
    private final Predicate<String> knownModel;

    static final String OTHER_MODEL = "other";
    static final int MAX_MODEL_LABELS = 200;

    /** @param knownModel whether a model name is in the price table (and so may have counters of its own) */
    public MeteredRequestLog(RequestLogPort delegate, MetricRegistry metrics, Predicate<String> knownModel) {
        this.delegate = delegate;
        this.metrics = metrics;
        this.knownModel = knownModel;
    }

    @Override
    public void append(RequestRecord r) {
        Series route = routes.computeIfAbsent(name(r.route()), n -> series("proxygate.route", n));
        Series upstream = upstreams.computeIfAbsent(r.provider(), n -> series("proxygate.upstream", n));
        long latencyNanos = r.latency().toNanos();
        route.latency().update(latencyNanos, TimeUnit.NANOSECONDS);
        upstream.latency().update(latencyNanos, TimeUnit.NANOSECONDS);
        r.timeToFirstByte().ifPresent(t -> {
            route.ttfb().update(t.toNanos(), TimeUnit.NANOSECONDS);
            upstream.ttfb().update(t.toNanos(), TimeUnit.NANOSECONDS);
        });
        if (!r.success()) {
            route.errors().mark();
            upstream.errors().mark();
        }
        TokenUsage t = r.tokens();
        modelCounters(r.model()).add(t);
        delegate.append(r);
    }

    /**
     * Keyed by label, so a known model's counters are created once and every unknown name shares "other". Price
     * lookups forgive prefixes and date suffixes, so spellings of known models are capped too.
     */
    private TokenCounters modelCounters(String rawModel) {
        String label = rawModel != null && knownModel.test(rawModel) ? name(rawModel) : OTHER_MODEL;
        TokenCounters counters = models.get(label);
        if (counters != null) {
            return counters;
        }
        if (models.size() >= MAX_MODEL_LABELS) {
            label = OTHER_MODEL;
        }
        return models.computeIfAbsent(label, this::tokenCounters);
    }

    private Series series(String prefix, String name) {
        return new Series(timer(MetricRegistry.name(prefix, name, "latency")),
                timer(MetricRegistry.name(prefix, name, "ttfb")),
                metrics.meter(MetricRegistry.name(prefix, name, "errors")));
    }

    /**
     * Every request updates two timers; the default reservoir takes a lock per update, which request threads queue
     * on at thousands of requests a second. The lock-free reservoir keeps the same decaying sample.
     */
    private Timer timer(String name) {
        return metrics.timer(name, () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
    }

    private TokenCounters tokenCounters(String model) {
        return new TokenCounters(counter(model, "input"), counter(model, "cached_input"),
                counter(model, "cache_creation"), counter(model, "output"), counter(model, "reasoning"));
    }

    private Counter counter(String model, String kind) {
        return metrics.counter(MetricRegistry.name("proxygate.tokens", model, kind));
    }

    /** One route's or upstream's timers and error meter. */
    private record Series(Timer latency, Timer ttfb, Meter errors) {
    }

    /** One model's token counters, by kind. */
    private record TokenCounters(Counter input, Counter cachedInput, Counter cacheCreation, Counter output,
                                 Counter reasoning) {
        void add(TokenUsage t) {
            add(input, t.inputTokens());
            add(cachedInput, t.cachedInputTokens());
            add(cacheCreation, t.cacheCreationTokens());
            add(output, t.outputTokens());
            add(reasoning, t.reasoningTokens());
        }

        private static void add(Counter counter, long tokens) {
            if (tokens > 0) {
                counter.inc(tokens);
            }
        }
    }

    @Override
    public List<RequestRecord> recent(int limit) {
        return delegate.recent(limit);
    }

    /** Metric name segments: no dots or slashes, which would split them. Cached: a handful of models recur. */
    static String name(String raw) {
        String cached = NAMES.get(raw);
        if (cached != null) {
            return cached;
        }
        String s = EDGE_UNDERSCORES.matcher(UNSAFE_RUN.matcher(raw.toLowerCase(Locale.ROOT)).replaceAll("_"))
                .replaceAll("");
        String name = s.isEmpty() ? "unknown" : s;
        if (NAMES.size() < MAX_CACHED_NAMES) { // client-chosen model names must not grow the cache without bound
            NAMES.put(raw, name);
        }
        return name;
    }
}
