package io.proxygate.adapter.out.upstream;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * A TLS strategy made when the first TLS connection opens instead of when the client is built. Making one loads the
 * JDK's trusted certificates, 40 ms of a start's main thread here, before the server can answer its health check;
 * upstreams over plain HTTP (a local gateway, a test's mock) never need it. Everything else is the strategy's own.
 */
final class FirstUseTlsStrategy implements TlsStrategy {
    private final Supplier<? extends TlsStrategy> factory;
    private TlsStrategy strategy;

    FirstUseTlsStrategy(Supplier<? extends TlsStrategy> factory) {
        this.factory = factory;
    }

    /** Taken once per TLS handshake, so a plain lock costs nothing worth saving. */
    private synchronized TlsStrategy strategy() {
        if (strategy == null) {
            strategy = factory.get();
        }
        return strategy;
    }

    @Override
    public void upgrade(TransportSecurityLayer session, NamedEndpoint endpoint, Object attachment,
                        Timeout handshakeTimeout, FutureCallback<TransportSecurityLayer> callback) {
        strategy().upgrade(session, endpoint, attachment, handshakeTimeout, callback);
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public boolean upgrade(TransportSecurityLayer session, HttpHost host, SocketAddress localAddress,
                           SocketAddress remoteAddress, Object attachment, Timeout handshakeTimeout) {
        return strategy().upgrade(session, host, localAddress, remoteAddress, attachment, handshakeTimeout);
    }
}
