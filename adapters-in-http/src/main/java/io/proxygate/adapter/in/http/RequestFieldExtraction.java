package io.proxygate.adapter.in.http;

import io.proxygate.application.http.Headers;
import io.proxygate.application.proxy.RequestFacts;
import io.proxygate.application.http.Route;

/**
 * Public entry to the request-field extractor ({@link RequestFactsReader}) for benchmarks and tools outside this
 * package; the proxy itself calls the reader directly.
 */
public final class RequestFieldExtraction {
    private RequestFieldExtraction() {
    }

    /**
     * The routing facts of one request body.
     *
     * @throws IllegalArgumentException when the body is not a JSON object (the proxy answers that with 400)
     */
    public static RequestFacts read(Route route, byte[] body, Headers headers) {
        try {
            return RequestFactsReader.read(route, body, headers);
        } catch (RequestBodies.BadRequest e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
