package io.proxygate.application.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the proxy writes its answer: implemented by the inbound HTTP adapter. Calls come from one thread, in order:
 * {@link #start} once, then {@link #write} any number of times, optionally {@link #streamError}.
 * An {@link IOException} from any call means the client went away.
 */
public interface ClientResponse {
    /** Commits status and headers and flushes them to the client. */
    void start(int status, Headers headers) throws IOException;

    /** Writes one chunk (typically one or more whole SSE events) and flushes it at once. */
    void write(ByteBuffer chunk) throws IOException;

    /**
     * After bytes were sent, reports an upstream failure as a well-formed error event in the route's API shape
     * (OpenAI {@code response.failed}/error chunk, Anthropic {@code event: error}), then the stream ends.
     */
    void streamError(String errorType, String message) throws IOException;
}
