package io.proxygate.application.proxy;

import java.util.Objects;

/**
 * One inbound request to relay: the route, the raw query string (without '?', may be empty), the client's headers,
 * the decoded body bytes and the facts extracted from them; method and path matter only for
 * {@link Route#PASSTHROUGH}, which relays them as they are.
 */
public record ProxyCommand(Route route, String query, Headers headers, byte[] body, RequestFacts facts,
                           String method, String path) {
    public ProxyCommand {
        Objects.requireNonNull(route, "route");
        query = query == null ? "" : query;
        headers = headers == null ? Headers.EMPTY : headers;
        body = body == null ? new byte[0] : body;
        Objects.requireNonNull(facts, "facts");
        method = method == null ? "" : method;
        path = path == null ? "" : path;
    }

    public ProxyCommand(Route route, String query, Headers headers, byte[] body, RequestFacts facts) {
        this(route, query, headers, body, facts, null, null);
    }
}
