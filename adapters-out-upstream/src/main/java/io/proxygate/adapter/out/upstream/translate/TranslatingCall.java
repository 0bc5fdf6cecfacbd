package io.proxygate.adapter.out.upstream.translate;

import io.proxygate.adapter.out.upstream.OneChunkBody;
import io.proxygate.adapter.out.upstream.sse.SseEvent;
import io.proxygate.adapter.out.upstream.sse.SseScanner;
import io.proxygate.application.port.out.ForwardingUpstreamCall;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.http.Headers;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An upstream call whose body is translated for the client. A stream is translated event by event: each upstream
 * chunk is scanned, its complete events translated, and the frames they yield handed on at once, so the client sees
 * them as soon as the upstream sent them. A JSON reply or error body is read whole (it is one document) and
 * translated in one piece. Usage and everything else come from the upstream call itself.
 */
final class TranslatingCall extends ForwardingUpstreamCall {
    /** The most an error body may hold while it is read for translation; beyond it the rest is cut. */
    private static final int MAX_ERROR_BYTES = 1 << 20;
    /** The most a non-streamed reply may hold while it is read for translation. */
    private static final int MAX_REPLY_BYTES = 64 << 20;

    private final WireTranslation codec;
    private final String requestedModel;
    private UpstreamHead head;
    /** A JSON reply or error, translated whole. */
    private OneChunkBody whole;
    private SseScanner scanner;
    private EventTranslator translator;
    private boolean ended;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);
    private final Consumer<byte[]> out = pending::writeBytes;
    private final Consumer<SseEvent> events;

    TranslatingCall(UpstreamCall call, WireTranslation codec, String requestedModel) {
        super(call);
        this.codec = codec;
        this.requestedModel = requestedModel;
        this.events = e -> translator.event(SseEvent.DEFAULT_TYPE.equals(e.type()) ? null : e.type(), e.data(), out);
    }

    @Override
    public UpstreamHead awaitHead() throws UpstreamException {
        return awaitHead(null);
    }

    @Override
    public UpstreamHead awaitHead(Duration limit) throws UpstreamException {
        if (head != null) {
            return head;
        }
        UpstreamHead upstream = limit == null ? call.awaitHead() : call.awaitHead(limit);
        if (!upstream.isSuccess()) {
            whole = new OneChunkBody(codec.error(upstream.status(), readAll(MAX_ERROR_BYTES)));
            head = new UpstreamHead(upstream.status(), upstream.upstreamHeaders(), json(upstream), false,
                    upstream.windows());
        } else if (upstream.eventStream()) {
            scanner = new SseScanner(SseScanner.DEFAULT_MAX_EVENT_BYTES, type -> true);
            translator = codec.stream(requestedModel);
            head = new UpstreamHead(upstream.status(), upstream.upstreamHeaders(), Headers.of(
                    "Content-Type", "text/event-stream", "Cache-Control", "no-cache", "X-Accel-Buffering", "no"),
                    true, upstream.windows());
        } else {
            whole = new OneChunkBody(codec.reply(readAll(MAX_REPLY_BYTES), requestedModel));
            head = new UpstreamHead(upstream.status(), upstream.upstreamHeaders(), json(upstream), false,
                    upstream.windows());
        }
        return head;
    }

    private static Headers json(UpstreamHead upstream) {
        Headers h = Headers.of("Content-Type", "application/json");
        Optional<String> retry = upstream.upstreamHeaders().first("retry-after");
        return retry.map(r -> h.with("Retry-After", r)).orElse(h);
    }

    private byte[] readAll(int max) throws UpstreamException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
        Optional<ByteBuffer> chunk;
        while ((chunk = call.nextChunk()).isPresent()) {
            ByteBuffer b = chunk.get();
            int n = Math.min(b.remaining(), max - body.size());
            if (n > 0) {
                byte[] bytes = new byte[n];
                b.get(bytes);
                body.write(bytes, 0, n);
            }
        }
        return body.toByteArray();
    }

    @Override
    public Optional<ByteBuffer> nextChunk() throws UpstreamException {
        return nextChunk(null);
    }

    @Override
    public Optional<ByteBuffer> nextChunk(Duration wait) throws UpstreamException {
        if (head == null) {
            awaitHead();
        }
        if (whole != null) {
            return whole.next();
        }
        while (true) {
            if (ended) {
                return drained();
            }
            Optional<ByteBuffer> chunk = wait == null ? call.nextChunk() : call.nextChunk(wait);
            if (chunk == null) {
                return null;
            }
            if (chunk.isEmpty()) {
                ended = true;
                scanner.finish(events);
                translator.end(true, out);
                return drained();
            }
            scanner.feed(chunk.get(), events);
            if (pending.size() > 0) {
                return drained();
            }
        }
    }

    /** The frames translated so far, or the end of the body when there are none. */
    private Optional<ByteBuffer> drained() {
        if (pending.size() == 0) {
            return Optional.empty();
        }
        ByteBuffer frames = ByteBuffer.wrap(pending.toByteArray());
        pending.reset();
        return Optional.of(frames);
    }
}
