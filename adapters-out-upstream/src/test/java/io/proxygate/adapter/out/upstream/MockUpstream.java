package io.proxygate.adapter.out.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.proxygate.application.http.Headers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real HTTP server on 127.0.0.1:0 that records every request and answers with per-path handlers. */
final class MockUpstream implements AutoCloseable {
    /** What the upstream received. */
    record Recorded(String method, URI uri, Headers headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();

    MockUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.start();
    }

    MockUpstream on(String path, Handler handler) {
        server.createContext(path, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            List<Map.Entry<String, String>> fields = new ArrayList<>();
            exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> fields.add(Map.entry(name, v))));
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI(), new Headers(fields), body));
            try {
                handler.handle(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The client went away mid-reply; tests that care observe it themselves.
            } finally {
                exchange.close();
            }
        });
        return this;
    }

    /** Answers every request on {@code path} with a fixed reply. */
    MockUpstream reply(String path, int status, String contentType, String body, String... extraHeaders) {
        return on(path, exchange -> {
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

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    Recorded nextRequest() throws InterruptedException {
        Recorded r = requests.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the upstream received no request");
        }
        return r;
    }

    int pendingRequests() {
        return requests.size();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
