package io.proxygate.application.proxy;

import io.proxygate.application.http.Headers;

import java.io.IOException;

/**
 * An upstream reply chosen for the client: status and headers are known, the body has not been read yet.
 * Call {@link #relayTo} once; it streams the body, records usage and releases the credential. {@link #close()}
 * releases everything without relaying (idempotent, also safe after relaying).
 */
public interface ProxyExchange extends AutoCloseable {
    int status();

    Headers headers();

    /** True when the body is an SSE stream. */
    boolean eventStream();

    void relayTo(ResponseSink sink) throws IOException;

    @Override
    void close();
}
