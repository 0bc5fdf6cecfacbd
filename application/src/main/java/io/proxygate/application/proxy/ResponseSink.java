package io.proxygate.application.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The client's side of a relay, implemented by the inbound HTTP adapter after it committed status and headers.
 * An {@link IOException} from any call means the client went away.
 */
public interface ResponseSink {
    /** Writes one chunk as received from the upstream and flushes it at once. */
    void write(ByteBuffer chunk) throws IOException;

    /**
     * After bytes were sent, reports an upstream failure as a well-formed error event in the route's API shape;
     * the stream then ends.
     */
    void streamError(String errorType, String message) throws IOException;

    /**
     * The upstream's body ended normally and all of it was written: the adapter may complete the client's reply
     * now. The request is already counted (in memory) by then; only the request log's insert and the live feed
     * follow. Not called when the body was cut.
     */
    default void end() throws IOException {
    }

    /**
     * The request is counted (its usage settled in memory) and the rest of the relay charges nothing more: called
     * before the chunk that carries a stream's final usage event goes out, so what the adapter holds for the request
     * (a client key's slot) can go back before the client sees the end. May come before {@link #end()}, or not at
     * all (then {@code end()} or the adapter's own cleanup is the moment).
     */
    default void counted() {
    }

    /**
     * While the upstream is quiet: sends the client something that changes nothing (an SSE comment), so a client
     * that left is noticed (the write fails) without waiting for the next event. Only called for event streams.
     */
    default void keepAlive() throws IOException {
    }
}
