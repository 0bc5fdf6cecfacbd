package io.proxygate.adapter.out.upstream.translate;

import java.util.function.Consumer;

/**
 * Turns one upstream SSE stream into the client's SSE stream, event by event: each upstream event yields zero or more
 * complete client SSE frames ("event: x\ndata: {...}\n\n" bytes), handed to {@code out} at once (no buffering beyond
 * the state one event needs). Not thread-safe: one stream, one thread at a time.
 */
public interface EventTranslator {
    /** One upstream event: its {@code event:} name (null when absent) and its {@code data:} payload. */
    void event(String name, String data, Consumer<byte[]> out);

    /** The upstream stream ended; {@code clean} is false when it was cut. Emits closing frames, if any. */
    void end(boolean clean, Consumer<byte[]> out);
}
