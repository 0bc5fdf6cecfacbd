package io.proxygate.application.port.out;

import io.proxygate.domain.usage.UsageReport;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An upstream call that hands every method to another call, for wrappers that change only part of it (replaying
 * bytes already read, translating the body). Forwarding the waits as well keeps a wrapper from quietly turning a
 * bounded wait (a request's deadline, the relay's keep-alive check on its client) into an unbounded one.
 */
public abstract class ForwardingUpstreamCall implements UpstreamCall {
    protected final UpstreamCall call;

    protected ForwardingUpstreamCall(UpstreamCall call) {
        this.call = Objects.requireNonNull(call, "call");
    }

    @Override
    public UpstreamHead awaitHead() throws UpstreamException {
        return call.awaitHead();
    }

    @Override
    public UpstreamHead awaitHead(Duration limit) throws UpstreamException {
        return call.awaitHead(limit);
    }

    @Override
    public Optional<ByteBuffer> nextChunk() throws UpstreamException {
        return call.nextChunk();
    }

    @Override
    public Optional<ByteBuffer> nextChunk(Duration wait) throws UpstreamException {
        return call.nextChunk(wait);
    }

    @Override
    public UsageReport usage() {
        return call.usage();
    }

    @Override
    public void close() {
        call.close();
    }
}
