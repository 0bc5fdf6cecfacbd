package io.proxygate.adapter.out.upstream.translate;

import io.proxygate.adapter.out.upstream.OneChunkBody;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.http.Headers;
import io.proxygate.domain.usage.UsageReport;

import java.nio.ByteBuffer;
import java.util.Optional;

/** An answer made here without calling an upstream: a refusal in the client's shape, or an estimate. */
final class LocalCall implements UpstreamCall {
    private final UpstreamHead head;
    private final OneChunkBody body;

    private LocalCall(UpstreamHead head, byte[] body) {
        this.head = head;
        this.body = new OneChunkBody(body);
    }

    static LocalCall json(int status, byte[] body, String... extraHeaders) {
        Headers headers = Headers.of("Content-Type", "application/json");
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
            headers = headers.with(extraHeaders[i], extraHeaders[i + 1]);
        }
        return new LocalCall(new UpstreamHead(status, Headers.EMPTY, headers, false, Optional.empty()), body);
    }

    @Override
    public UpstreamHead awaitHead() {
        return head;
    }

    @Override
    public Optional<ByteBuffer> nextChunk() {
        return body.next();
    }

    @Override
    public UsageReport usage() {
        return UsageReport.EMPTY;
    }

    @Override
    public void close() {
    }
}
