package io.proxygate.adapter.out.upstream.proxy;

import io.proxygate.domain.credential.OutboundProxy;
import org.apache.hc.client5.http.RouteInfo;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One started HTTP client per distinct outbound proxy, built on first use by the owning adapter's factory and kept
 * until {@link #close()}. A client per proxy (rather than a per-request route) is what SOCKS needs: HttpClient's
 * async I/O reactor takes the SOCKS address and login per client. It also keeps each proxy's connections in their
 * own pool, so a connection opened through one account's proxy is never reused for another's.
 */
public final class ProxiedClients implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxiedClients.class);
    /** Distinct proxies are one per account at most; far more means a misconfiguration, not a reason to leak. */
    static final int MAX_CLIENTS = 512;

    private final Function<OutboundProxy, CloseableHttpAsyncClient> factory;
    private final ConcurrentHashMap<OutboundProxy, CloseableHttpAsyncClient> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param factory builds and starts a client for one proxy (use {@link #configure} on its builder) */
    public ProxiedClients(Function<OutboundProxy, CloseableHttpAsyncClient> factory) {
        this.factory = factory;
    }

    /** The client for {@code proxy}, built and started on first use. */
    public CloseableHttpAsyncClient get(OutboundProxy proxy) {
        CloseableHttpAsyncClient client = clients.get(proxy);
        if (client != null) {
            return client;
        }
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (clients.size() >= MAX_CLIENTS && !proxy.isDirect()) {
            throw new IllegalStateException("too many distinct outbound proxies (" + MAX_CLIENTS + ")");
        }
        return clients.computeIfAbsent(proxy, p -> {
            LOG.info("outbound client for proxy {}", p.display());
            return factory.apply(p);
        });
    }

    /** How many clients exist (one per proxy used so far). */
    public int size() {
        return clients.size();
    }

    /** Points {@code builder} at {@code proxy}: a CONNECT/forwarding HTTP proxy, a SOCKS5 one, or none. */
    public static HttpAsyncClientBuilder configure(HttpAsyncClientBuilder builder, OutboundProxy proxy) {
        switch (proxy.scheme()) {
            case DIRECT -> {
                return builder;
            }
            case HTTP -> {
                HttpHost host = new HttpHost("http", proxy.host(), proxy.port());
                builder.setProxy(host);
                if (proxy.username().isPresent()) {
                    BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                    credentials.setCredentials(new AuthScope(host),
                            new UsernamePasswordCredentials(proxy.username().get(),
                                    proxy.password().map(s -> s.reveal().toCharArray()).orElse(new char[0])));
                    builder.setDefaultCredentialsProvider(credentials);
                    // Plain-http targets are forwarded by the proxy, not tunnelled: answer its Basic challenge up
                    // front, because a 407 to a streamed POST cannot be retried. Never inside a tunnel, where the
                    // header would reach the upstream; CONNECT itself retries a 407 with the credentials above.
                    String basic = "Basic " + Base64.getEncoder().encodeToString((proxy.username().get() + ":"
                            + proxy.password().map(s -> s.reveal()).orElse("")).getBytes(StandardCharsets.UTF_8));
                    builder.addRequestInterceptorLast((request, entity, context) -> {
                        RouteInfo route = HttpClientContext.castOrCreate(context).getHttpRoute();
                        if (route != null && route.getProxyHost() != null && !route.isTunnelled()
                                && !request.containsHeader(HttpHeaders.PROXY_AUTHORIZATION)) {
                            request.addHeader(HttpHeaders.PROXY_AUTHORIZATION, basic);
                        }
                    });
                }
                return builder;
            }
            case SOCKS5 -> {
                IOReactorConfig.Builder reactor = IOReactorConfig.custom()
                        .setSocksProxyAddress(new InetSocketAddress(proxy.host(), proxy.port()));
                proxy.username().ifPresent(reactor::setSocksProxyUsername);
                proxy.password().ifPresent(p -> reactor.setSocksProxyPassword(p.reveal()));
                return builder.setIOReactorConfig(reactor.build());
            }
            default -> throw new IllegalStateException("unknown proxy scheme");
        }
    }

    @Override
    public void close() {
        closed = true;
        clients.values().forEach(c -> c.close(CloseMode.GRACEFUL));
        clients.clear();
    }
}
