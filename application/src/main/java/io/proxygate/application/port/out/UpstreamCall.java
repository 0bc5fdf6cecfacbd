package io.proxygate.application.port.out;

import io.proxygate.domain.usage.UsageReport;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A running upstream exchange, read by one (virtual) thread. The body arrives through a bounded buffer: when the
 * reader falls behind, the adapter stops reading from the upstream socket (back-pressure), so memory per call stays
 * flat. {@link #close()} cancels the exchange if it has not finished (client went away) and is idempotent.
 */
public interface UpstreamCall extends AutoCloseable {
    /** Blocks until the status line and headers arrive. */
    UpstreamHead awaitHead() throws UpstreamException;

    /**
     * Like {@link #awaitHead()}, waiting at most {@code limit} (the request's remaining deadline); past it the call
     * is closed and a {@link UpstreamException.Kind#TIMEOUT} thrown. Default: the plain wait.
     */
    default UpstreamHead awaitHead(java.time.Duration limit) throws UpstreamException {
        return awaitHead();
    }

    /**
     * Blocks for the next body chunk, as received (for SSE: split anywhere; the adapter does not re-frame).
     * Empty at the end of the body.
     */
    Optional<ByteBuffer> nextChunk() throws UpstreamException;

    /**
     * Like {@link #nextChunk()}, waiting about {@code wait}: a chunk, empty at the end of the body, or {@code null}
     * when nothing arrived in time (the relay then checks on its client). An adapter may end the wait somewhat later
     * than asked (the HTTP adapter's watchdog ends it within a sweep period), never earlier. Default: the plain wait.
     */
    default Optional<ByteBuffer> nextChunk(java.time.Duration wait) throws UpstreamException {
        return nextChunk();
    }

    /** Usage seen so far (final once {@link #nextChunk()} returned empty). */
    UsageReport usage();

    @Override
    void close();
}
