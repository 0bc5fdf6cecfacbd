package io.proxygate.application.fallback;

import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.port.out.VertexPort;
import io.proxygate.application.port.out.VertexRequest;
import io.proxygate.application.port.out.VertexStatus;
import io.proxygate.application.http.Headers;
import io.proxygate.domain.usage.UsageReport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** A Vertex port that answers each call with the next scripted reply and records what it was asked. */
final class ScriptedVertex implements VertexPort {
    private final boolean usable;
    private final Deque<Reply> replies = new ArrayDeque<>();
    final List<VertexRequest> requests = new ArrayList<>();
    final List<Call> calls = new ArrayList<>();

    ScriptedVertex(boolean usable) {
        this.usable = usable;
    }

    ScriptedVertex then(int status, String body, String... headers) {
        replies.add(new Reply(status, body, Headers.of(headers), null));
        return this;
    }

    ScriptedVertex thenUnreachable() {
        replies.add(new Reply(0, "", Headers.EMPTY,
                new UpstreamException(UpstreamException.Kind.CONNECT, "connection refused", null)));
        return this;
    }

    @Override
    public boolean usable() {
        return usable;
    }

    @Override
    public VertexStatus status() {
        return usable ? new VertexStatus(true, Optional.of("p"), Optional.of("us-east5"), Optional.of("adc"),
                Optional.empty()) : VertexStatus.unavailable("not configured");
    }

    @Override
    public UpstreamCall open(VertexRequest request) {
        requests.add(request);
        Reply reply = replies.poll();
        if (reply == null) {
            throw new AssertionError("no scripted reply left for call " + requests.size());
        }
        Call call = new Call(reply);
        calls.add(call);
        return call;
    }

    record Reply(int status, String body, Headers headers, UpstreamException failure) {
    }

    static final class Call implements UpstreamCall {
        private final Reply reply;
        private boolean bodyRead;
        boolean closed;

        Call(Reply reply) {
            this.reply = reply;
        }

        @Override
        public UpstreamHead awaitHead() throws UpstreamException {
            if (reply.failure() != null) {
                throw reply.failure();
            }
            return new UpstreamHead(reply.status(), reply.headers(), reply.headers(), false, Optional.empty());
        }

        @Override
        public Optional<ByteBuffer> nextChunk() {
            if (bodyRead || reply.body().isEmpty()) {
                return Optional.empty();
            }
            bodyRead = true;
            return Optional.of(ByteBuffer.wrap(reply.body().getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public UsageReport usage() {
            return UsageReport.EMPTY;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
