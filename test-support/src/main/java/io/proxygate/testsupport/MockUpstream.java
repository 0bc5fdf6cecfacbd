package io.proxygate.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 standing in for an upstream (ChatGPT backend, OpenAI, Anthropic). Tests register a
 * handler for an exact "METHOD path" ({@link #on(String, String, Handler)}) or for every request under a path prefix
 * ({@link #onPrefix}, {@link #reply}); an exact handler wins, then the longest prefix, else a JSON 404. Every request
 * is recorded, with its headers and body bytes, before its handler runs.
 */
public final class MockUpstream implements AutoCloseable {
    /** A request as the upstream saw it. */
    public record Recorded(String method, URI uri, Map<String, List<String>> headers, byte[] bytes,
                           String remoteAddress) {
        public String path() {
            return uri.getPath();
        }

        /** The raw query string, or null when there is none. */
        public String query() {
            return uri.getRawQuery();
        }

        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** The first value of a header (any letter case), or null when the request had none. */
        public String header(String name) {
            List<String> values = headerValues(name);
            return values.isEmpty() ? null : values.get(0);
        }

        public Optional<String> firstHeader(String name) {
            return Optional.ofNullable(header(name));
        }

        /** Every value of a header, in any letter case. */
        public List<String> headerValues(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }
    }

    /** Answers one request, given as recorded. */
    @FunctionalInterface
    public interface Handler {
        void handle(Recorded request, HttpExchange exchange) throws IOException;
    }

    /** Answers one request from the exchange alone; may block, and is interrupted when the mock closes. */
    @FunctionalInterface
    public interface ExchangeHandler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Handler> exact = new ConcurrentHashMap<>();
    private final Map<String, ExchangeHandler> prefixes = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Recorded> unread = new LinkedBlockingQueue<>();

    public MockUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /**
     * A started mock, its start failing unchecked: for static fields and initialisers, where a test class cannot let
     * the checked {@link IOException} escape.
     */
    public static MockUpstream started() {
        try {
            return new MockUpstream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String url(String path) {
        return url() + path;
    }

    /** Answers requests with exactly this method and path. */
    public MockUpstream on(String method, String path, Handler handler) {
        exact.put(method + " " + path, handler);
        return this;
    }

    /** Answers requests of any method whose path starts with {@code pathPrefix}. */
    public MockUpstream onPrefix(String pathPrefix, ExchangeHandler handler) {
        prefixes.put(pathPrefix, handler);
        return this;
    }

    /** Answers every request under {@code pathPrefix} with a fixed reply; extra headers come as name, value pairs. */
    public MockUpstream reply(String pathPrefix, int status, String contentType, String body, String... extraHeaders) {
        return onPrefix(pathPrefix, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", contentType);
            for (int i = 0; i < extraHeaders.length; i += 2) {
                exchange.getResponseHeaders().add(extraHeaders[i], extraHeaders[i + 1]);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public List<Recorded> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The oldest request not yet taken by this method, waiting up to 10 s for one. */
    public Recorded nextRequest() throws InterruptedException {
        Recorded r = unread.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the upstream received no request");
        }
        return r;
    }

    /** How many requests {@link #nextRequest} has not taken yet. */
    public int pendingRequests() {
        return unread.size();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            Recorded recorded = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI(),
                    Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes(),
                    exchange.getRemoteAddress().getAddress().getHostAddress());
            requests.add(recorded);
            unread.add(recorded);
            Handler handler = exact.get(recorded.method() + " " + recorded.path());
            if (handler != null) {
                handler.handle(recorded, exchange);
                return;
            }
            Optional<String> prefix = prefixes.keySet().stream().filter(recorded.path()::startsWith)
                    .max(Comparator.comparingInt(String::length));
            if (prefix.isEmpty()) {
                json(exchange, 404, "{\"error\":{\"message\":\"no mock for " + recorded.path() + "\"}}");
                return;
            }
            try {
                prefixes.get(prefix.get()).handle(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } catch (IOException clientWentAway) {
            // The client hung up mid-reply; tests that care observe it on their side.
        }
    }

    public static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Starts an SSE reply; write events with {@link #event}. */
    public static OutputStream startSse(HttpExchange exchange, Map<String, String> headers) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    public static void event(OutputStream out, String event, String data) throws IOException {
        String text = (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
