package io.proxygate.adapter.out.upstream;

import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamPort;
import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.proxy.Headers;
import io.proxygate.application.proxy.Route;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
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
 * shared Apache HttpClient 5 async client (a connection pool per upstream host; HTTP/2 negotiated by ALPN over TLS,
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
    private final CloseableHttpAsyncClient client;
    private final PoolingAsyncClientConnectionManager connections;
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
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.shaper = new RequestShaper(settings);
        this.watchdog = new CallWatchdog(CallWatchdog.periodFor(
                settings.responseTimeout().compareTo(settings.idleTimeout()) < 0
                        ? settings.responseTimeout() : settings.idleTimeout()));
        this.connections = buildPool(settings, versionPolicy);
        this.client = buildClient(settings, connections);
        client.start();
    }

    /** The upstream connection pool right now, over all routes. */
    public record PoolStats(int leased, int available, int pending, int max) {
    }

    public PoolStats poolStats() {
        org.apache.hc.core5.pool.PoolStats s = connections.getTotalStats();
        return new PoolStats(s.getLeased(), s.getAvailable(), s.getPending(), s.getMax());
    }

    @Override
    public UpstreamCall open(UpstreamRequest request) {
        PreparedRequest prepared = shaper.shape(request);
        HttpUpstreamCall call = execute(prepared, request.route());
        LOG.debug("opened {} {} for {} ({})", prepared.method(), prepared.uri().getHost(), request.route().path(),
                request.credential().fingerprint());
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
        HttpUpstreamCall call = execute(prepared, route);
        LOG.debug("opened POST {} for {}", uri.getHost(), route.path());
        return call;
    }

    private HttpUpstreamCall execute(PreparedRequest prepared, Route route) {
        HttpUpstreamCall call = new HttpUpstreamCall(prepared, route, settings, clock, watchdog);
        AsyncRequestBuilder builder = AsyncRequestBuilder.create(prepared.method()).setUri(prepared.uri());
        for (Header header : prepared.headers()) {
            builder.addHeader(header);
        }
        // The client's Content-Type header travels in the header list; the entity's type only fills in when it sent none.
        prepared.body().ifPresent(bytes -> builder.setEntity(AsyncEntityProducers.create(bytes, JSON)));
        try {
            Future<Void> future = client.execute(builder.build(), call.consumer(), null, HttpClientContext.create(),
                    call.callback());
            call.started(future);
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
        client.close(CloseMode.GRACEFUL);
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
                .setDefaultTlsConfig(TlsConfig.custom()
                        .setHandshakeTimeout(connect)
                        .setVersionPolicy(versionPolicy)
                        .build())
                .setMessageMultiplexing(true)
                .build();
    }

    private static CloseableHttpAsyncClient buildClient(UpstreamSettings settings,
                                                        PoolingAsyncClientConnectionManager pool) {
        return HttpAsyncClients.custom()
                .setConnectionManager(pool)
                .setHttp1Config(Http1Config.custom().setInitialWindowSize(64 * 1024).build())
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
