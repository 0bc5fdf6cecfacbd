package io.proxygate.adapter.out.upstream.usage;

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

/**
 * A real HTTP server on 127.0.0.1 standing in for ChatGPT's {@code /backend-api/wham/usage} and Anthropic's
 * {@code /api/oauth/usage}. Answers are chosen per bearer token; unknown tokens get 401. Every request's headers
 * are recorded.
 */
final class MockUsageServer implements AutoCloseable {
    record Answer(int status, String body) {
    }

    record Seen(String path, String authorization, String accountId, String anthropicBeta) {
    }

    private final HttpServer server;
    final Map<String, Answer> byToken = new ConcurrentHashMap<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final List<String> userAgents = new CopyOnWriteArrayList<>();

    MockUsageServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    UsageEndpoints endpoints() {
        return UsageEndpoints.of(base() + "/backend-api", base(), java.util.Optional.empty(),
                java.util.Optional.empty());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        userAgents.add(String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent")));
        seen.add(new Seen(exchange.getRequestURI().getPath(), auth,
                exchange.getRequestHeaders().getFirst("ChatGPT-Account-Id"),
                exchange.getRequestHeaders().getFirst("anthropic-beta")));
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
        Answer answer = byToken.getOrDefault(token,
                new Answer(401, "{\"error\":{\"message\":\"Your authentication token has expired.\"}}"));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
