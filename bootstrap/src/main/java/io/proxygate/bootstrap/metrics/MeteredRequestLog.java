package io.proxygate.bootstrap.metrics;

import com.codahale.metrics.Counter;
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
import java.util.regex.Pattern;

/**
 * Turns every finished request into Dropwizard metrics before handing it to the request log: request and error
 * rates, latency and time-to-first-byte timers per route and per upstream, token counters per model and kind.
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

    public MeteredRequestLog(RequestLogPort delegate, MetricRegistry metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
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
        String model = name(r.model());
        TokenCounters counters = models.size() < MAX_CACHED_NAMES
                ? models.computeIfAbsent(model, this::tokenCounters) : tokenCounters(model);
        counters.add(t);
        delegate.append(r);
    }

    private Series series(String prefix, String name) {
        return new Series(metrics.timer(MetricRegistry.name(prefix, name, "latency")),
                metrics.timer(MetricRegistry.name(prefix, name, "ttfb")),
                metrics.meter(MetricRegistry.name(prefix, name, "errors")));
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
