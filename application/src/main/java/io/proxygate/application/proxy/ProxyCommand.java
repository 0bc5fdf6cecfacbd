package io.proxygate.application.proxy;

import io.proxygate.application.http.EncodedBody;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;

import java.util.Objects;
import java.util.Optional;

/**
 * One inbound request to relay: the route, the raw query string (without '?', may be empty), the client's headers,
 * the decoded body bytes and the facts extracted from them; method and path matter only for
 * {@link Route#PASSTHROUGH}, which relays them as they are. {@code encodedBody} holds the client's wire bytes when
 * it sent the body under a {@code Content-Encoding}, so an upstream that accepts that encoding gets them unchanged.
 * {@code clientKey} names who asked, for the request log (a client key's id, {@code owner} or {@code open}).
 */
public record ProxyCommand(Route route, String query, Headers headers, byte[] body, RequestFacts facts,
                           String method, String path, Optional<EncodedBody> encodedBody, String clientKey) {
    public ProxyCommand {
        Objects.requireNonNull(route, "route");
        query = query == null ? "" : query;
        headers = headers == null ? Headers.EMPTY : headers;
        body = body == null ? new byte[0] : body;
        Objects.requireNonNull(facts, "facts");
        method = method == null ? "" : method;
        path = path == null ? "" : path;
        encodedBody = encodedBody == null ? Optional.empty() : encodedBody;
        clientKey = clientKey == null || clientKey.isBlank() ? "open" : clientKey;
    }

    public ProxyCommand(Route route, String query, Headers headers, byte[] body, RequestFacts facts,
                        String method, String path, Optional<EncodedBody> encodedBody) {
        this(route, query, headers, body, facts, method, path, encodedBody, null);
    }

    public ProxyCommand(Route route, String query, Headers headers, byte[] body, RequestFacts facts,
                        String method, String path) {
        this(route, query, headers, body, facts, method, path, Optional.empty());
    }

    public ProxyCommand(Route route, String query, Headers headers, byte[] body, RequestFacts facts) {
        this(route, query, headers, body, facts, null, null, Optional.empty());
    }
}
