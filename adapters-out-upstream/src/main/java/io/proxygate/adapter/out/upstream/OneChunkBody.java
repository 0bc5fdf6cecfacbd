package io.proxygate.adapter.out.upstream;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A reply body known whole before anyone reads it (a JSON reply assembled from a stream, translated, or made
 * locally): handed out as one chunk, then the end of the body. Not thread-safe: one reader.
 */
public final class OneChunkBody {
    private ByteBuffer rest;

    public OneChunkBody(byte[] body) {
        this.rest = ByteBuffer.wrap(body);
    }

    /** The whole body the first time (nothing when it is empty), then the end of the body. */
    public Optional<ByteBuffer> next() {
        ByteBuffer once = rest;
        rest = null;
        return once == null || !once.hasRemaining() ? Optional.empty() : Optional.of(once);
    }
}
