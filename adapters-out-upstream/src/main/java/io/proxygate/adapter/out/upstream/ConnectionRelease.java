package io.proxygate.adapter.out.upstream;

import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.async.AsyncExecRuntime;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Gives a call the means to drop its own HTTP/1.1 connection. Cancelling an exchange does not always reach the
 * connection: when the pool handed out a connection that was still being opened, HttpClient 5.6 returns a
 * cancellable that does nothing, and a call closed on a silent upstream would hold its connection and pool slot until
 * the upstream spoke or the socket timed out (minutes). The first handler of the client's execution chain records the
 * call's execution runtime in its context; closing an unfinished call then discards the endpoint, which closes that
 * one connection at once.
 */
final class ConnectionRelease {
    private static final String RUNTIME = "proxygate.exec-runtime";

    /** The execution-chain handler to install first on every client. */
    static final AsyncExecChainHandler RECORD_RUNTIME = (request, entityProducer, scope, chain, callback) -> {
        scope.clientContext.setAttribute(RUNTIME, scope.execRuntime);
        chain.proceed(request, entityProducer, scope, callback);
    };

    private ConnectionRelease() {
    }

    /**
     * Closes the connection the exchange of {@code context} holds, if it still holds one. Only for HTTP/1.1, where a
     * connection carries one exchange: an HTTP/2 connection is shared and its stream is reset by the cancel.
     */
    static void discard(HttpContext context) {
        if (context != null && context.getAttribute(RUNTIME) instanceof AsyncExecRuntime runtime) {
            runtime.discardEndpoint();
        }
    }
}
