package io.proxygate.adapter.out.upstream;

import io.proxygate.adapter.out.upstream.proxy.ProxiedClients;
import io.proxygate.adapter.out.upstream.proxy.ProxySelection;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamPort;
import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.domain.credential.OutboundProxy;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * The outbound adapter for every HTTP upstream: the ChatGPT Codex backend, the OpenAI API and the Anthropic API. One
 * Apache HttpClient 5 async client per outbound proxy (see {@link ProxiedClients}) (a connection pool per upstream host; HTTP/2 negotiated by ALPN over TLS,
 * HTTP/1.1 on plain {@code http://}) carries all calls. Request shaping lives in {@link RequestShaper}, the streaming
 * hand-over and usage scanning in {@link HttpUpstreamCall}.
 *
 * <p>Timeouts: {@code connectTimeout} for TCP and TLS; {@code responseTimeout} until the response head; then only an
 * idle timeout, so a long stream lives as long as tokens flow. There is deliberately no socket read timeout: it would
 * also fire while a slow client holds the stream back.
 *
 * <p>Create one per process and {@link #close()} it at shutdown.
 */
public final class HttpUpstreamAdapter implements UpstreamPort, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpUpstreamAdapter.class);
    private static final ContentType JSON = ContentType.create("application/json");

    private final UpstreamSettings settings;
    private final InstantSource clock;
    private final RequestShaper shaper;
    private final ProxiedClients clients;
    private final ProxySelection proxies;
    /** Every client's connection pool (one a proxy), for the gauges. */
    private final java.util.List<PoolingAsyncClientConnectionManager> pools =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CallWatchdog watchdog;

    public HttpUpstreamAdapter(UpstreamSettings settings) {
        this(settings, InstantSource.system());
    }

    /**
     * @param clock stamps the usage windows read from rate-limit headers
     */
    public HttpUpstreamAdapter(UpstreamSettings settings, InstantSource clock) {
        this(settings, clock, HttpVersionPolicy.NEGOTIATE);
    }

    /** Tests force HTTP/2 with prior knowledge on plain {@code http://} to exercise the HTTP/2 code path. */
    HttpUpstreamAdapter(UpstreamSettings settings, InstantSource clock, HttpVersionPolicy versionPolicy) {
        this(settings, clock, versionPolicy, ProxySelection.DIRECT);
    }

    /**
     * @param proxies which outbound proxy each credential's calls leave through; a client (and connection pool)
     *                is built per distinct proxy on first use
     */
    public HttpUpstreamAdapter(UpstreamSettings settings, InstantSource clock, ProxySelection proxies) {
        this(settings, clock, HttpVersionPolicy.NEGOTIATE, proxies);
    }

    HttpUpstreamAdapter(UpstreamSettings settings, InstantSource clock, HttpVersionPolicy versionPolicy,
                        ProxySelection proxies) {
        this.proxies = Objects.requireNonNull(proxies, "proxies");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.shaper = new RequestShaper(settings);
        this.watchdog = new CallWatchdog(CallWatchdog.periodFor(
                settings.responseTimeout().compareTo(settings.idleTimeout()) < 0
                        ? settings.responseTimeout() : settings.idleTimeout()));
        this.clients = new ProxiedClients(proxy -> {
            PoolingAsyncClientConnectionManager pool = buildPool(settings, versionPolicy);
            pools.add(pool);
            CloseableHttpAsyncClient client = buildClient(settings, pool, proxy);
            client.start();
            return client;
        });
        // The direct client exists from the start, as before per-credential proxies: most pools use only it.
        clients.get(OutboundProxy.DIRECT);
    }

    /** The upstream connection pools right now, over all routes and outbound proxies. */
    public record PoolStats(int leased, int available, int pending, int max) {
    }

    public PoolStats poolStats() {
        int leased = 0;
        int available = 0;
        int pending = 0;
        int max = 0;
        for (PoolingAsyncClientConnectionManager pool : pools) {
            org.apache.hc.core5.pool.PoolStats s = pool.getTotalStats();
            leased += s.getLeased();
            available += s.getAvailable();
            pending += s.getPending();
            max += s.getMax();
        }
        return new PoolStats(leased, available, pending, max);
    }

    @Override
    public UpstreamCall open(UpstreamRequest request) {
        PreparedRequest prepared = shaper.shape(request);
        OutboundProxy proxy = proxies.select(Optional.of(request.credential().id()), prepared.uri());
        HttpUpstreamCall call = execute(prepared, request.route(), proxy);
        if (LOG.isDebugEnabled()) {
            LOG.debug("opened {} {} for {} ({}) via {}", prepared.method(), prepared.uri().getHost(),
                    request.route().path(), request.credential().fingerprint(), proxy.display());
        }
        return call;
    }

    /**
     * Opens a POST that another adapter shaped itself (Claude on Vertex AI): the same client, streaming hand-over,
     * timeouts and usage scanning as {@link #open}; {@code route} decides which response headers the client sees and
     * how usage is read.
     */
    public UpstreamCall openShaped(URI uri, Headers headers, byte[] body, Route route) {
        List<Header> wire = new ArrayList<>();
        headers.fields().forEach(f -> wire.add(new BasicHeader(f.getKey(), f.getValue())));
        PreparedRequest prepared = new PreparedRequest("POST", uri, wire, Optional.of(body), false);
        HttpUpstreamCall call = execute(prepared, route, proxies.select(Optional.empty(), uri));
        LOG.debug("opened POST {} for {}", uri.getHost(), route.path());
        return call;
    }

    private HttpUpstreamCall execute(PreparedRequest prepared, Route route, OutboundProxy proxy) {
        HttpUpstreamCall call = new HttpUpstreamCall(prepared, route, settings, clock, watchdog);
        AsyncRequestBuilder builder = AsyncRequestBuilder.create(prepared.method()).setUri(prepared.uri());
        for (Header header : prepared.headers()) {
            builder.addHeader(header);
        }
        // The client's Content-Type header travels in the header list; the entity's type only fills in when it sent none.
        prepared.body().ifPresent(bytes -> builder.setEntity(AsyncEntityProducers.create(bytes, JSON)));
        try {
            HttpClientContext context = HttpClientContext.create();
            Future<Void> future = clients.get(proxy).execute(builder.build(), call.consumer(), null, context,
                    call.callback());
            call.started(future, context);
        } catch (RuntimeException e) {
            call.callback().failed(e);
        }
        return call;
    }

    /** Calls whose timeouts are being watched; each leaves the watch when it ends, fails or is closed. */
    int watchedCalls() {
        return watchdog.watched();
    }

    /** Stops the client: open calls fail with {@link UpstreamException}, pooled connections close. */
    @Override
    public void close() {
        clients.close();
        watchdog.close();
    }

    /**
     * HttpClient 5.6 cannot always cancel an exchange: when the pooled connection was still being set up as the
     * exchange started, its cancel is a no-op ({@code InternalHttpAsyncExecRuntime} hands back a non-cancellable),
     * so a call closed on a <em>silent</em> upstream would hold its connection, and a pool slot, until the upstream
     * spoke or hung up. A socket timeout longer than any silence the watchdog allows (head wait or idle) closes such
     * a connection a few seconds after the watchdog gave up, without ever cutting a stream the watchdog would keep:
     * a client that stops reading altogether is cut by the server's own idle timeout long before.
     */
    static java.time.Duration leakBackstop(UpstreamSettings settings) {
        java.time.Duration longest = settings.responseTimeout().compareTo(settings.idleTimeout()) >= 0
                ? settings.responseTimeout() : settings.idleTimeout();
        return longest.plus(LEAK_GRACE);
    }

    private static final java.time.Duration LEAK_GRACE = java.time.Duration.ofSeconds(5);

    private static final int HTTP1_BUFFER_BYTES = 2 * 1024;

    private static PoolingAsyncClientConnectionManager buildPool(UpstreamSettings settings,
                                                                 HttpVersionPolicy versionPolicy) {
        Timeout connect = Timeout.of(settings.connectTimeout());
        return PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(settings.maxConnectionsPerRoute())
                .setMaxConnTotal(settings.maxConnectionsPerRoute() * 8)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        // Silence is judged by the call's watchdog, which knows when the reader is the slow one.
                        // This longer socket timeout is only a backstop; see leakBackstop.
                        .setSocketTimeout(Timeout.of(leakBackstop(settings)))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .setTlsStrategy(new FirstUseTlsStrategy(DefaultClientTlsStrategy::createDefault))
                .setDefaultTlsConfig(TlsConfig.custom()
                        .setHandshakeTimeout(connect)
                        .setVersionPolicy(versionPolicy)
                        .build())
                .setMessageMultiplexing(true)
                .build();
    }

    private static CloseableHttpAsyncClient buildClient(UpstreamSettings settings,
                                                        PoolingAsyncClientConnectionManager pool,
                                                        OutboundProxy proxy) {
        return ProxiedClients.configure(HttpAsyncClients.custom(), proxy)
                .setConnectionManager(pool)
                .addExecInterceptorFirst("proxygate-connection-release", ConnectionRelease.RECORD_RUNTIME)
                // Each HTTP/1.1 connection holds three heap buffers of this size for its life (an open stream's
                // whole life): 2 KiB instead of HttpCore's 8 saves 18 KiB per stream. Most SSE events are far
                // smaller; a larger event or reply arrives in more reads, and the input buffer grows for a header
                // line longer than itself.
                .setHttp1Config(Http1Config.custom().setBufferSize(HTTP1_BUFFER_BYTES).setInitialWindowSize(64 * 1024)
                        .build())
                .setH2Config(H2Config.custom().setPushEnabled(false).setInitialWindowSize(64 * 1024).build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(settings.responseTimeout()))
                        .setRedirectsEnabled(false)
                        .setHardCancellationEnabled(true)
                        .build())
                // Bodies are relayed byte for byte and scanned for usage: no transparent decompression.
                .disableContentCompression()
                // Only a client that sent no User-Agent gets this one: ProxyGate's own, never the library's.
                .setUserAgent(ProxyGateUserAgent.VALUE)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
    }
}
