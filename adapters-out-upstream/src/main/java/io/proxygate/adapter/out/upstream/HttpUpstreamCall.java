package io.proxygate.adapter.out.upstream;

import io.proxygate.adapter.out.upstream.usage.ChatUsageOption;
import io.proxygate.adapter.out.upstream.sse.SseEvent;
import io.proxygate.adapter.out.upstream.sse.SseScanner;
import io.proxygate.adapter.out.upstream.usage.TopLevelJsonCapture;
import io.proxygate.adapter.out.upstream.usage.UsageTracker;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamException.Kind;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.domain.usage.UsageReport;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import io.proxygate.domain.credential.Api;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One running upstream exchange. The I/O reactor fills a {@link BodyBuffer} through the inner response consumer; the
 * caller's (virtual) thread blocks in {@link #awaitHead()} and {@link #nextChunk()}, and on that thread the chunks are
 * scanned for usage (SSE events or the JSON body's top-level fields). A watchdog fails the call when the head does not
 * arrive within the response timeout, or when the body is silent for the idle timeout while the reader keeps up.
 * {@link #close()} cancels an unfinished exchange, which closes the HTTP/1.1 connection or resets the HTTP/2 stream.
 */
final class HttpUpstreamCall implements UpstreamCall {
    private static final Logger LOG = LoggerFactory.getLogger(HttpUpstreamCall.class);
    /** The most a non-streaming client's reply may hold while it is assembled from events (as for request bodies). */
    static final long MAX_ASSEMBLED_BYTES = 64L * 1024 * 1024;

    private final PreparedRequest request;
    private final Route route;
    private final InstantSource clock;
    private final CallWatchdog watchdog;
    private final long responseTimeoutNanos;
    private final long idleTimeoutNanos;
    private final String target;
    private final BodyBuffer body;
    private final UsageTracker usage;
    private final CompletableFuture<HttpResponse> rawHead = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long openedNanos = System.nanoTime();
    private final ResponseConsumer consumer = new ResponseConsumer();

    private volatile Future<Void> exchange;
    private volatile HttpContext exchangeContext;
    /** True once the response head showed HTTP/1.x, or for a plain-HTTP target (never HTTP/2 there). */
    private volatile boolean ownsConnection;
    private volatile boolean closeDelimited;
    private volatile boolean finished;

    // Reader-thread state.
    private UpstreamHead head;
    private SseScanner scanner;
    /** Keeps from the client the usage chunk asked for on its behalf; null when there is none to keep. */
    private ChatUsageOption.Hider usageHider;
    private TopLevelJsonCapture jsonCapture;
    private OneChunkBody assembled;
    private boolean bodyDone;

    HttpUpstreamCall(PreparedRequest request, Route route, UpstreamSettings settings, InstantSource clock,
                     CallWatchdog watchdog) {
        this.request = request;
        this.route = route;
        this.clock = clock;
        this.watchdog = watchdog;
        this.responseTimeoutNanos = settings.responseTimeout().toNanos();
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
        this.target = request.method() + " " + request.uri().getScheme() + "://" + request.uri().getAuthority()
                + request.uri().getPath();
        this.body = new BodyBuffer(settings.streamBufferBytes());
        this.usage = UsageTracker.forApi(route.api());
    }

    AsyncResponseConsumer<Void> consumer() {
        return consumer;
    }

    FutureCallback<Void> callback() {
        return new FutureCallback<>() {
            @Override
            public void completed(Void result) {
                finished = true;
            }

            @Override
            public void failed(Exception ex) {
                fail(Failures.map(ex, target, rawHead.isDone()));
            }

            @Override
            public void cancelled() {
                fail(new UpstreamException(Kind.CANCELLED, "upstream call cancelled (" + target + ")", null));
            }
        };
    }

    /** Called once the client accepted the exchange. */
    void started(Future<Void> future, HttpContext context) {
        exchangeContext = context;
        ownsConnection = ownsConnection || "http".equalsIgnoreCase(request.uri().getScheme());
        exchange = future;
        if (closed.get()) {
            future.cancel(true);
            return;
        }
        watchdog.watch(this);
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
        if (closed.get()) {
            throw new UpstreamException(Kind.CANCELLED, "call was closed", null);
        }
        HttpResponse response;
        try {
            response = limit == null ? rawHead.get() : rawHead.get(Math.max(0, limit.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            close();
            throw new UpstreamException(Kind.TIMEOUT, "no response headers within the request's deadline ("
                    + target + ")", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UpstreamException u) {
                // A fresh exception so the stack trace shows the caller; the thrown one stays as cause.
                throw new UpstreamException(u.kind(), u.getMessage(), u);
            }
            throw Failures.map(cause, target, false);
        } catch (CancellationException e) {
            throw new UpstreamException(Kind.CANCELLED, "call was closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new UpstreamException(Kind.CANCELLED, "interrupted while waiting for the upstream", e);
        }
        Headers upstreamHeaders = headersOf(response);
        int status = response.getCode();
        boolean eventStream = mediaType(upstreamHeaders).equals("text/event-stream");
        Optional<UsageWindows> windows = RateLimitHeaders.parse(upstreamHeaders, clock.instant());
        boolean success = status >= 200 && status < 300;
        if (success && eventStream && request.assembleJson()) {
            head = assemble(status, upstreamHeaders, windows);
            return head;
        }
        if (success && eventStream) {
            scanner = new SseScanner(SseScanner.DEFAULT_MAX_EVENT_BYTES, usage::wants);
            if (request.hideUsageChunk()) {
                usageHider = new ChatUsageOption.Hider();
            }
        } else if (success && mediaType(upstreamHeaders).endsWith("json")) {
            jsonCapture = new TopLevelJsonCapture();
        }
        head = new UpstreamHead(status, upstreamHeaders,
                ResponseHeaderPolicy.clientHeaders(route, upstreamHeaders, eventStream, false), eventStream, windows);
        return head;
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
        if (assembled != null) {
            return assembled.next();
        }
        if (usageHider == null) {
            return relayedChunk(wait);
        }
        while (true) {
            if (bodyDone) {
                // The end came: what the hider still held (an event without its closing blank line), then the end.
                ByteBuffer rest = usageHider.rest();
                return rest.hasRemaining() ? Optional.of(rest) : Optional.empty();
            }
            Optional<ByteBuffer> chunk = relayedChunk(wait);
            if (chunk == null) {
                return null;
            }
            if (chunk.isPresent()) {
                ByteBuffer shown = usageHider.pass(chunk.get());
                if (shown.hasRemaining()) {
                    return Optional.of(shown);
                }
            }
            // The hidden usage chunk, part of an event still arriving, or the end: read on, or end.
        }
    }

    /** The next chunk as received, its usage counted; empty at the end of the body. */
    private Optional<ByteBuffer> relayedChunk(Duration wait) throws UpstreamException {
        Optional<ByteBuffer> chunk = take(wait == null ? -1 : Math.max(0, wait.toNanos()));
        if (chunk == null) {
            return null;
        }
        if (chunk.isEmpty()) {
            endOfBody();
            if (closeDelimited && scanner != null && route.api() != Api.CHAT_COMPLETIONS && !usage.report().complete()) {
                // Only the connection's close ended this body, and before the stream's terminal event: that close
                // may as well be a cut, and a cut must not reach the client as a whole reply.
                throw new UpstreamException(Kind.RESET, "upstream closed the stream before its terminal event ("
                        + target + ")", null);
            }
            return chunk;
        }
        ByteBuffer bytes = chunk.get();
        if (scanner != null) {
            scanner.feed(bytes, usage::onEvent);
        } else if (jsonCapture != null) {
            jsonCapture.feed(bytes);
        }
        return chunk;
    }

    @Override
    public UsageReport usage() {
        return usage.report();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean unfinished = !body.ended();
        try {
            body.discard();
        } catch (IOException e) {
            LOG.debug("waking the transport of {} failed: {}", target, e.getMessage());
        }
        if (!rawHead.isDone()) {
            // Only a waiting head needs the exception; building one on every close cost a stack walk per request.
            rawHead.completeExceptionally(new UpstreamException(Kind.CANCELLED, "call was closed", null));
        }
        stopWatching();
        Future<Void> f = exchange;
        if (unfinished && f != null) {
            f.cancel(true);
            if (ownsConnection) {
                ConnectionRelease.discard(exchangeContext);
            }
            LOG.debug("cancelled unfinished upstream exchange {}", target);
        }
    }

    /** Bytes waiting for the reader; for tests and metrics. */
    long bufferedBytes() {
        return body.bufferedBytes();
    }

    /** The most bytes ever waiting for the reader. */
    long highWaterBytes() {
        return body.highWaterBytes();
    }

    private UpstreamHead assemble(int status, Headers upstreamHeaders, Optional<UsageWindows> windows)
            throws UpstreamException {
        ResponseAssembler assembler = new ResponseAssembler(MAX_ASSEMBLED_BYTES);
        SseScanner events = new SseScanner(SseScanner.DEFAULT_MAX_EVENT_BYTES,
                type -> usage.wants(type) || assembler.wants(type));
        Consumer<SseEvent> sink = event -> {
            if (usage.wants(event.type())) {
                usage.onEvent(event);
            }
            if (assembler.wants(event.type())) {
                assembler.onEvent(event);
            }
        };
        try {
            Optional<ByteBuffer> chunk;
            while ((chunk = take()).isPresent()) {
                events.feed(chunk.get(), sink);
            }
            events.finish(sink);
        } catch (ResponseAssembler.TooLarge e) {
            close();
            throw new UpstreamException(Kind.PROTOCOL, e.getMessage() + " (" + target + ")", e);
        }
        bodyDone = true;
        Headers clientHeaders = ResponseHeaderPolicy.clientHeaders(route, upstreamHeaders, false, true);
        return switch (assembler.result()) {
            case ResponseAssembler.Result.Completed c -> {
                assembled = new OneChunkBody(c.json());
                yield new UpstreamHead(status, upstreamHeaders, clientHeaders, false, windows);
            }
            case ResponseAssembler.Result.Failed f -> {
                assembled = new OneChunkBody(f.json());
                yield new UpstreamHead(f.status(), upstreamHeaders, clientHeaders, false, windows);
            }
            case ResponseAssembler.Result.Truncated t -> throw new UpstreamException(Kind.RESET,
                    "upstream stream ended before response.completed (" + target + ")", null);
        };
    }

    private Optional<ByteBuffer> take() throws UpstreamException {
        return take(-1);
    }

    private Optional<ByteBuffer> take(long waitNanos) throws UpstreamException {
        try {
            return body.take(waitNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new UpstreamException(Kind.CANCELLED, "interrupted while reading the upstream", e);
        }
    }

    private void endOfBody() {
        if (bodyDone) {
            return;
        }
        bodyDone = true;
        if (scanner != null) {
            scanner.finish(usage::onEvent);
            if (scanner.droppedEvents() > 0) {
                LOG.warn("dropped {} oversized SSE events from {}", scanner.droppedEvents(), target);
            }
        } else if (jsonCapture != null) {
            jsonCapture.finish().ifPresent(usage::onBody);
        }
    }

    private void fail(UpstreamException e) {
        finished = true;
        rawHead.completeExceptionally(e);
        if (body.fail(e)) {
            LOG.debug("upstream exchange failed: {}", e.getMessage());
        }
        stopWatching();
    }

    private void timeout(String why) {
        fail(new UpstreamException(Kind.TIMEOUT, why + " (" + target + ")", null));
        Future<Void> f = exchange;
        if (f != null) {
            f.cancel(true);
        }
    }

    private void stopWatching() {
        watchdog.forget(this);
    }

    /**
     * Run by the watchdog's sweep: fails the call when its head is later than the response timeout, or when, after
     * the head, the upstream has sent nothing for the idle timeout; and ends a reader's limited wait that has run out.
     */
    void check() {
        if (closed.get() || finished || body.ended()) {
            stopWatching();
            return;
        }
        long now = System.nanoTime();
        if (!rawHead.isDone()) {
            long waited = now - openedNanos;
            if (waited >= responseTimeoutNanos) {
                timeout("no response headers within " + Duration.ofNanos(responseTimeoutNanos));
            }
            return;
        }
        body.wakeReaderIfDue(now);
        if (body.starved()) {
            // The reader holds the upstream back: that is not upstream silence.
            body.touch();
        }
        long silent = now - body.lastProgressNanos();
        if (silent >= idleTimeoutNanos) {
            timeout("no data for " + Duration.ofNanos(idleTimeoutNanos));
        }
    }

    private static Headers headersOf(HttpResponse response) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (Header h : response.getHeaders()) {
            fields.add(Map.entry(h.getName(), h.getValue() == null ? "" : h.getValue()));
        }
        return new Headers(fields);
    }

    private static String mediaType(Headers headers) {
        return headers.first("content-type")
                .map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .orElse("");
    }

    /** Receives the response on the I/O reactor; never blocks. */
    private final class ResponseConsumer implements AsyncResponseConsumer<Void> {
        private volatile FutureCallback<Void> resultCallback;

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context,
                                    FutureCallback<Void> callback) {
            resultCallback = callback;
            // HTTP/1.x with neither a length nor chunking: only the connection's close marks the end. (HttpCore
            // reports such a body with an undefined length, so the headers are the plain way to tell.)
            org.apache.hc.core5.http.ProtocolVersion version = response.getVersion() != null ? response.getVersion()
                    : context == null ? null : org.apache.hc.core5.http.protocol.HttpCoreContext.castOrCreate(context)
                    .getProtocolVersion();
            Header encoding = response.getFirstHeader("Transfer-Encoding");
            if (version != null && version.lessEquals(HttpVersion.HTTP_1_1)) {
                ownsConnection = true;
            }
            closeDelimited = entityDetails != null && version != null && version.lessEquals(HttpVersion.HTTP_1_1)
                    && !response.containsHeader("Content-Length")
                    && (encoding == null || !encoding.getValue().toLowerCase(Locale.ROOT).contains("chunked"));
            body.touch();
            rawHead.complete(response);
            // From here on only silence counts: the sweep judges the idle time from the touch above.
            if (entityDetails == null) {
                body.end();
                finished = true;
                callback.completed(null);
            }
        }

        @Override
        public void informationResponse(HttpResponse response, HttpContext context) {
            // 1xx: nothing to relay.
        }

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            body.capacityRequested(capacityChannel);
        }

        @Override
        public void consume(ByteBuffer src) throws IOException {
            if (closed.get()) {
                // Failing here makes HttpCore drop the connection: the proxy no longer wants these bytes.
                throw new IOException("upstream call closed by the proxy");
            }
            body.offer(src);
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) {
            body.end();
            finished = true;
            stopWatching();
            FutureCallback<Void> callback = resultCallback;
            if (callback != null) {
                callback.completed(null);
            }
        }

        @Override
        public void failed(Exception cause) {
            fail(Failures.map(cause, target, rawHead.isDone()));
        }

        @Override
        public void releaseResources() {
            // Buffers belong to the reader until it closes the call.
        }
    }
}
