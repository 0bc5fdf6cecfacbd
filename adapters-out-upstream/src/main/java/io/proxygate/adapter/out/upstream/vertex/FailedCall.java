package io.proxygate.adapter.out.upstream.vertex;

import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.domain.usage.UsageReport;

import java.nio.ByteBuffer;
import java.util.Optional;

/** A call that never reached the upstream (no access token): it fails like an unreachable upstream. */
final class FailedCall implements UpstreamCall {
    private final UpstreamException failure;

    FailedCall(UpstreamException failure) {
        this.failure = failure;
    }

    @Override
    public UpstreamHead awaitHead() throws UpstreamException {
        throw failure;
    }

    @Override
    public Optional<ByteBuffer> nextChunk() throws UpstreamException {
        throw failure;
    }

    @Override
    public UsageReport usage() {
        return UsageReport.EMPTY;
    }

    @Override
    public void close() {
    }
}
