package io.proxygate.application.port.out;

import io.proxygate.application.http.Headers;
import io.proxygate.domain.fallback.VariantChange;

import java.util.Objects;

/**
 * One call to Claude on Vertex AI.
 *
 * @param model         the Vertex model to call (in the URL, never in the body)
 * @param change        what to do to the body's thinking settings
 * @param body          the client's Messages request body, as received
 * @param clientHeaders the client's headers; the adapter forwards only its allow-list
 * @param stream        the client asked for SSE ({@code :streamRawPredict})
 */
public record VertexRequest(String model, VariantChange change, byte[] body, Headers clientHeaders,
                            boolean stream) {
    public VertexRequest {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("vertex model must not be blank");
        }
        Objects.requireNonNull(change, "change");
        body = body == null ? new byte[0] : body;
        clientHeaders = clientHeaders == null ? Headers.EMPTY : clientHeaders;
    }
}
