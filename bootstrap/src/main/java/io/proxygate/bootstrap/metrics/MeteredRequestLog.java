package io.proxygate.bootstrap.metrics;

import com.codahale.metrics.MetricRegistry;
import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.usage.TokenUsage;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Turns every finished request into Dropwizard metrics before handing it to the request log: request and error
 * rates, latency and time-to-first-byte timers per route and per upstream, token counters per model and kind.
 */
public final class MeteredRequestLog implements RequestLogPort {
    private final RequestLogPort delegate;
    private final MetricRegistry metrics;

    public MeteredRequestLog(RequestLogPort delegate, MetricRegistry metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public void append(RequestRecord r) {
        String route = name(r.route());
        metrics.timer(MetricRegistry.name("proxygate.route", route, "latency"))
                .update(r.latency().toNanos(), TimeUnit.NANOSECONDS);
        metrics.timer(MetricRegistry.name("proxygate.upstream", r.provider(), "latency"))
                .update(r.latency().toNanos(), TimeUnit.NANOSECONDS);
        r.timeToFirstByte().ifPresent(t -> {
            metrics.timer(MetricRegistry.name("proxygate.route", route, "ttfb")).update(t.toNanos(), TimeUnit.NANOSECONDS);
            metrics.timer(MetricRegistry.name("proxygate.upstream", r.provider(), "ttfb"))
                    .update(t.toNanos(), TimeUnit.NANOSECONDS);
        });
        if (!r.success()) {
            metrics.meter(MetricRegistry.name("proxygate.route", route, "errors")).mark();
            metrics.meter(MetricRegistry.name("proxygate.upstream", r.provider(), "errors")).mark();
        }
        TokenUsage t = r.tokens();
        String model = name(r.model());
        count(model, "input", t.inputTokens());
        count(model, "cached_input", t.cachedInputTokens());
        count(model, "cache_creation", t.cacheCreationTokens());
        count(model, "output", t.outputTokens());
        count(model, "reasoning", t.reasoningTokens());
        delegate.append(r);
    }

    private void count(String model, String kind, long tokens) {
        if (tokens > 0) {
            metrics.counter(MetricRegistry.name("proxygate.tokens", model, kind)).inc(tokens);
        }
    }

    @Override
    public List<RequestRecord> recent(int limit) {
        return delegate.recent(limit);
    }

    /** Metric name segments: no dots or slashes, which would split them. */
    static String name(String raw) {
        String s = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "unknown" : s;
    }
}
