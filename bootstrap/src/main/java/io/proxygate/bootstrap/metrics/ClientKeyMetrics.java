package io.proxygate.bootstrap.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.usage.RequestRecord;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests, tokens and estimated cost (in micro-dollars, counters being whole numbers) per client key, as
 * {@code proxygate.client_key.<id>.requests|tokens|cost_micro_usd}. The labels stay bounded: a row's client key is
 * one the admin created, {@code owner} or {@code open}, never anything a client chose.
 */
public final class ClientKeyMetrics implements RequestLogPort {
    private final RequestLogPort delegate;
    private final MetricRegistry metrics;
    private final ConcurrentHashMap<String, Counter[]> counters = new ConcurrentHashMap<>();

    public ClientKeyMetrics(RequestLogPort delegate, MetricRegistry metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public void append(RequestRecord record) {
        Counter[] c = counters.computeIfAbsent(record.clientKey(), id -> new Counter[]{
                metrics.counter(MetricRegistry.name("proxygate.client_key", id, "requests")),
                metrics.counter(MetricRegistry.name("proxygate.client_key", id, "tokens")),
                metrics.counter(MetricRegistry.name("proxygate.client_key", id, "cost_micro_usd"))});
        c[0].inc();
        c[1].inc(record.tokens().totalTokens());
        record.costUsd().ifPresent(cost -> c[2].inc(micro(cost)));
        delegate.append(record);
    }

    @Override
    public List<RequestRecord> recent(int limit) {
        return delegate.recent(limit);
    }

    static long micro(BigDecimal usd) {
        return usd.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValue();
    }
}
