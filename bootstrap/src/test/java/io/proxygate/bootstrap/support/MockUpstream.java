package io.proxygate.bootstrap.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on loopback standing in for an upstream (ChatGPT backend, OpenAI, Anthropic). Tests register a
 * handler per "METHOD path"; every request is recorded with its headers and body.
 */
public final class MockUpstream implements AutoCloseable {
    /** A request as the upstream saw it. */
    public record Recorded(String method, String path, String query, Map<String, List<String>> headers, String body,
                           String remoteAddress) {
        public Recorded(String method, String path, String query, Map<String, List<String>> headers, String body) {
            this(method, path, query, headers, body, "");
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        void handle(Recorded request, HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    public MockUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::dispatch);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public MockUpstream on(String method, String path, Handler handler) {
        handlers.put(method + " " + path, handler);
        return this;
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public List<Recorded> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Recorded recorded = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body,
                    exchange.getRemoteAddress().getAddress().getHostAddress());
            requests.add(recorded);
            Handler handler = handlers.get(recorded.method() + " " + recorded.path());
            if (handler == null) {
                json(exchange, 404, "{\"error\":{\"message\":\"no mock for " + recorded.path() + "\"}}");
                return;
            }
            handler.handle(recorded, exchange);
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
    }
}
