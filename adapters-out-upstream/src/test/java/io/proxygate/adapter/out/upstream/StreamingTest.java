package io.proxygate.adapter.out.upstream;

import com.sun.net.httpserver.HttpExchange;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.testsupport.MockUpstream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.proxygate.adapter.out.upstream.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Streaming behaviour against real HTTP servers: flow, back-pressure, cancellation, errors and timeouts. */
class StreamingTest extends AdapterOverMockUpstream {
    private static final String BODY = "{\"model\":\"gpt-4.1\",\"input\":\"hi\",\"stream\":true}";


    private UpstreamCall openResponses() {
        return adapter.open(request(Route.RESPONSES, Fixtures.openaiKey(null), Headers.EMPTY, BODY, true));
    }

    private static String event(int i) {
        return "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"tok"
                + i + "\"}\n\n";
    }

    /** Answers 200 with an event stream and returns its body, for the mock's handler to write events to. */
    private static OutputStream startEventStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static String text(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void relaysEachEventBeforeTheUpstreamSendsTheNext() throws Exception {
        int events = 5;
        CountDownLatch[] seen = new CountDownLatch[events];
        for (int i = 0; i < events; i++) {
            seen[i] = new CountDownLatch(1);
        }
        List<String> problems = new CopyOnWriteArrayList<>();
        mock.onPrefix("/v1/responses", exchange -> {
            OutputStream out = startEventStream(exchange);
            for (int i = 0; i < events; i++) {
                out.write(event(i).getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!seen[i].await(10, TimeUnit.SECONDS)) {
                    problems.add("the reader never received event " + i + " on its own");
                    break;
                }
            }
            out.close();
        });
        adapter(Fixtures.settingsFor(mock));

        StringBuilder received = new StringBuilder();
        int next = 0;
        try (UpstreamCall call = openResponses()) {
            UpstreamHead head = call.awaitHead();
            assertThat(head.eventStream()).isTrue();
            assertThat(head.clientHeaders().first("content-type")).contains("text/event-stream");
            assertThat(head.clientHeaders().first("cache-control")).contains("no-cache");
            assertThat(head.clientHeaders().first("x-accel-buffering")).contains("no");
            Optional<ByteBuffer> chunk;
            while ((chunk = call.nextChunk()).isPresent()) {
                received.append(text(chunk.get()));
                while (next < events && received.indexOf(event(next)) >= 0) {
                    seen[next++].countDown();
                }
            }
        }

        assertThat(problems).isEmpty();
        assertThat(next).isEqualTo(events);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < events; i++) {
            expected.append(event(i));
        }
        assertThat(received.toString()).isEqualTo(expected.toString());
    }

    @Test
    void aLimitedWaitOnAQuietStreamEndsEmptyHandedAndTheStreamGoesOn() throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        mock.onPrefix("/v1/responses", exchange -> {
            OutputStream out = startEventStream(exchange);
            out.write(event(0).getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                // Quiet until the reader's wait has run out: then the second event.
                gaveUp.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write(event(1).getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        adapter(Fixtures.settingsFor(mock));

        try (UpstreamCall call = openResponses()) {
            call.awaitHead();
            assertThat(text(call.nextChunk(Duration.ofSeconds(10)).orElseThrow())).isEqualTo(event(0));

            // The reader parks without a timer; the call's watchdog ends the wait once it has run out.
            long started = System.nanoTime();
            Optional<ByteBuffer> nothing = call.nextChunk(Duration.ofMillis(50));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            gaveUp.countDown();

            assertThat(nothing).isNull();
            assertThat(waitedMillis).isGreaterThanOrEqualTo(50);
            StringBuilder rest = new StringBuilder();
            Optional<ByteBuffer> chunk;
            while ((chunk = call.nextChunk(Duration.ofSeconds(10))) != null && chunk.isPresent()) {
                rest.append(text(chunk.get()));
            }
            assertThat(rest.toString()).isEqualTo(event(1));
        }
    }

    @Test
    void aSlowReaderHoldsTheUpstreamBackWithABoundedBuffer() throws Exception {
        int limit = 64 * 1024;
        long total = 48L * 1024 * 1024;
        byte[] block = new byte[16 * 1024];
        java.util.Arrays.fill(block, (byte) 'x');
        AtomicLong written = new AtomicLong();
        mock.onPrefix("/v1/responses", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, total);
            try (OutputStream out = exchange.getResponseBody()) {
                while (written.get() < total) {
                    out.write(block);
                    written.addAndGet(block.length);
                }
            }
        });
        // A short idle timeout proves that a stream held back by its reader is not mistaken for a silent one.
        adapter(Fixtures.settingsFor(mock).streamBufferBytes(limit).idleTimeout(Duration.ofMillis(300)));

        try (UpstreamCall call = openResponses()) {
            HttpUpstreamCall streaming = (HttpUpstreamCall) call;
            call.awaitHead();
            long read = call.nextChunk().orElseThrow().remaining();

            await().atMost(Duration.ofSeconds(10)).until(() -> streaming.bufferedBytes() >= limit / 2);
            // The reader now stalls; the upstream must stall too, long before it has written everything.
            await().during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(5))
                    .until(() -> written.get() < total / 2);
            assertThat(streaming.highWaterBytes()).isLessThanOrEqualTo(limit + 64 * 1024 + 16 * 1024);

            Optional<ByteBuffer> chunk;
            while ((chunk = call.nextChunk()).isPresent()) {
                read += chunk.get().remaining();
            }
            assertThat(read).isEqualTo(total);
            assertThat(streaming.highWaterBytes()).isLessThanOrEqualTo(limit + 64 * 1024 + 16 * 1024);
        }
    }

    @Test
    void closeMidStreamClosesTheUpstreamConnectionPromptly() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> upstreamSaw = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = server.accept()) {
                    readRequest(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    String first = event(0);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(first.length()) + "\r\n" + first + "\r\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    // Blocks until the proxy closes the connection (-1) or resets it.
                    return socket.getInputStream().read();
                } catch (IOException e) {
                    return -1;
                }
            }, Executors.newVirtualThreadPerTaskExecutor()); // not the common pool: one thread on 2 cores, often busy
            adapter(UpstreamSettings.builder()
                    .openaiBaseUrl("http://127.0.0.1:" + server.getLocalPort() + "/v1"));

            UpstreamCall call = openResponses();
            call.awaitHead();
            assertThat(text(call.nextChunk().orElseThrow())).isEqualTo(event(0));
            call.close();

            assertThat(upstreamSaw.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
            assertThatThrownBy(call::nextChunk)
                    .isInstanceOfSatisfying(UpstreamException.class,
                            e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CANCELLED));
            call.close();
        }
    }

    @Test
    void closeFromAnotherThreadWakesABlockedReader() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        mock.onPrefix("/v1/responses", exchange -> {
            startEventStream(exchange).flush();
            release.await(10, TimeUnit.SECONDS);
        });
        adapter(Fixtures.settingsFor(mock));
        UpstreamCall call = openResponses();
        call.awaitHead();
        CompletableFuture<UpstreamException.Kind> reader = CompletableFuture.supplyAsync(() -> {
            try {
                call.nextChunk();
                return null;
            } catch (UpstreamException e) {
                return e.kind();
            }
        });

        call.close();

        assertThat(reader.get(5, TimeUnit.SECONDS)).isEqualTo(UpstreamException.Kind.CANCELLED);
        release.countDown();
    }

    @Test
    void errorStatusesArriveAsHeadsWithReadableBodies() throws Exception {
        mock.reply("/v1/responses", 429, "application/json",
                        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_exceeded\"}}",
                        "Retry-After", "30", "x-ratelimit-reset", "1767225600", "Set-Cookie", "not=forwarded")
                .reply("/v1/chat/completions", 500, "text/plain", "upstream exploded")
                .reply("/v1/messages", 401, "application/json",
                        "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"bad token\"}}");
        adapter(Fixtures.settingsFor(mock));

        Reading.Reply limited = Reading.readAll(openResponses());
        assertThat(limited.head().status()).isEqualTo(429);
        assertThat(limited.head().isSuccess()).isFalse();
        assertThat(limited.head().upstreamHeaders().first("retry-after")).contains("30");
        assertThat(limited.head().clientHeaders().first("retry-after")).contains("30");
        assertThat(limited.head().clientHeaders().first("set-cookie")).isEmpty();
        assertThat(limited.body()).contains("Rate limit reached");

        Reading.Reply exploded = Reading.readAll(adapter.open(request(Route.CHAT_COMPLETIONS,
                Fixtures.openaiKey(null), Headers.EMPTY, "{}", false)));
        assertThat(exploded.head().status()).isEqualTo(500);
        assertThat(exploded.body()).isEqualTo("upstream exploded");

        Reading.Reply unauthorized = Reading.readAll(adapter.open(request(Route.MESSAGES, Fixtures.claude(),
                Headers.of("x-app", "cli"), "{}", false)));
        assertThat(unauthorized.head().status()).isEqualTo(401);
        assertThat(unauthorized.head().clientHeaders().first("content-type")).contains("application/json");
        assertThat(unauthorized.body()).contains("authentication_error");
    }

    @Test
    void aRefusedConnectionIsAConnectFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        adapter(UpstreamSettings.builder().openaiBaseUrl("http://127.0.0.1:" + port + "/v1"));

        UpstreamCall call = openResponses();

        assertThatThrownBy(call::awaitHead).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CONNECT));
        call.close();
    }

    @Test
    void noHeadWithinTheResponseTimeoutIsATimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        mock.onPrefix("/v1/responses", exchange -> release.await(10, TimeUnit.SECONDS));
        adapter(Fixtures.settingsFor(mock).responseTimeout(Duration.ofMillis(300)));

        try (UpstreamCall call = openResponses()) {
            assertThatThrownBy(call::awaitHead).isInstanceOfSatisfying(UpstreamException.class,
                    e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aStreamThatFallsSilentIsTimedOutAfterTheIdleTimeout() throws Exception {
        CountDownLatch release = oneEventThenSilence();
        adapter(Fixtures.settingsFor(mock).idleTimeout(Duration.ofMillis(300)));

        try (UpstreamCall call = openResponses()) {
            call.awaitHead();
            assertThat(text(call.nextChunk().orElseThrow())).isEqualTo(event(0));
            assertThatThrownBy(call::nextChunk).isInstanceOfSatisfying(UpstreamException.class,
                    e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT));
        } finally {
            release.countDown();
        }
    }

    @Test
    void everyCallLeavesTheWatchdogWhenItEndsTimesOutOrIsClosed() throws Exception {
        CountDownLatch release = oneEventThenSilence();
        HttpUpstreamAdapter adapter = adapter(Fixtures.settingsFor(mock).idleTimeout(Duration.ofMillis(300)));
        try {
            try (UpstreamCall whole = adapter.open(new UpstreamRequest(Route.RESPONSES, Fixtures.openaiKey(null),
                    "whole", Headers.EMPTY, BODY.getBytes(StandardCharsets.UTF_8), true))) {
                Reading.readAll(whole);
            }
            try (UpstreamCall silent = openResponses()) {
                silent.awaitHead();
                silent.nextChunk();
                assertThatThrownBy(silent::nextChunk).isInstanceOf(UpstreamException.class);
            }
            UpstreamCall abandoned = openResponses();
            abandoned.awaitHead();
            assertThat(adapter.watchedCalls()).isEqualTo(1);
            abandoned.close();
            assertThat(adapter.watchedCalls()).isZero();
        } finally {
            release.countDown();
        }
    }

    /**
     * The mock sends one event, then holds the stream open until the returned latch is released; a request with a
     * query ("?whole") gets its body ended after that event instead.
     */
    private CountDownLatch oneEventThenSilence() {
        CountDownLatch release = new CountDownLatch(1);
        mock.onPrefix("/v1/responses", exchange -> {
            OutputStream out = startEventStream(exchange);
            out.write(event(0).getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (exchange.getRequestURI().getQuery() == null) {
                release.await(10, TimeUnit.SECONDS);
            }
        });
        return release;
    }

    @Test
    void anUpstreamThatDiesMidStreamIsAReset() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket socket = server.accept()) {
                    readRequest(socket.getInputStream());
                    String first = event(0);
                    socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                            + "Content-Length: 100000\r\n\r\n" + first).getBytes(StandardCharsets.UTF_8));
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            adapter(UpstreamSettings.builder().openaiBaseUrl("http://127.0.0.1:" + server.getLocalPort() + "/v1"));

            try (UpstreamCall call = openResponses()) {
                call.awaitHead();
                assertThat(text(call.nextChunk().orElseThrow())).isEqualTo(event(0));
                assertThatThrownBy(call::nextChunk).isInstanceOfSatisfying(UpstreamException.class,
                        e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RESET));
                assertThat(call.usage().complete()).isFalse();
            }
        }
    }

    @Test
    void connectionsAreReusedAcrossCalls() throws Exception {
        AtomicBoolean sameConnection = new AtomicBoolean(true);
        java.util.Set<String> remotes = java.util.concurrent.ConcurrentHashMap.newKeySet();
        mock.onPrefix("/v1/responses", exchange -> {
            remotes.add(exchange.getRemoteAddress().toString());
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        adapter(Fixtures.settingsFor(mock));

        for (int i = 0; i < 3; i++) {
            try (UpstreamCall call = openResponses()) {
                Reading.readAll(call);
            }
        }

        // A finished call hands its connection back to the pool just after the reader saw the end, so the next
        // call may occasionally race it; without reuse every call would open its own (3 remotes).
        assertThat(remotes).hasSizeLessThan(3);
        assertThat(sameConnection).isTrue();
    }

    @Test
    void callsOnAClosedAdapterFailInsteadOfHanging() {
        adapter(Fixtures.settingsFor(mock)).close();

        UpstreamCall call = openResponses();

        assertThatThrownBy(call::awaitHead).isInstanceOf(UpstreamException.class);
        call.close();
    }

    /** Reads an HTTP/1.1 request head and its Content-Length body. */
    static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            String soFar = head.toString(StandardCharsets.ISO_8859_1);
            if (soFar.endsWith("\r\n\r\n")) {
                break;
            }
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
    }
}
