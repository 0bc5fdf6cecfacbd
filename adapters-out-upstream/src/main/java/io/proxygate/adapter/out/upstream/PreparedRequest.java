package io.proxygate.adapter.out.upstream;

import org.apache.hc.core5.http.Header;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The upstream request an {@link io.proxygate.application.port.out.UpstreamRequest} becomes: method, URL, headers
 * and body as they go on the wire.
 *
 * @param assembleJson   the client wants one JSON reply but the upstream only streams: build it from the events
 * @param hideUsageChunk the body asks for a Chat stream's usage chunk the client did not ask for: keep it from the
 *                       client ({@link ChatUsageRewriter})
 */
record PreparedRequest(String method, URI uri, List<Header> headers, Optional<byte[]> body, boolean assembleJson,
                       boolean hideUsageChunk) {
    PreparedRequest {
        headers = List.copyOf(headers);
    }

    PreparedRequest(String method, URI uri, List<Header> headers, Optional<byte[]> body, boolean assembleJson) {
        this(method, uri, headers, body, assembleJson, false);
    }

    Optional<String> header(String name) {
        return headers.stream().filter(h -> h.getName().equalsIgnoreCase(name)).map(Header::getValue).findFirst();
    }
}
