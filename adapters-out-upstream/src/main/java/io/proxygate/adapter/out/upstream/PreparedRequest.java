package io.proxygate.adapter.out.upstream;

import org.apache.hc.core5.http.Header;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The upstream request an {@link io.proxygate.application.port.out.UpstreamRequest} becomes: method, URL, headers
 * and body as they go on the wire.
 *
 * @param assembleJson the client wants one JSON reply but the upstream only streams: build it from the events
 */
record PreparedRequest(String method, URI uri, List<Header> headers, Optional<byte[]> body, boolean assembleJson) {
    PreparedRequest {
        headers = List.copyOf(headers);
    }

    Optional<String> header(String name) {
        return headers.stream().filter(h -> h.getName().equalsIgnoreCase(name)).map(Header::getValue).findFirst();
    }
}
