package io.proxygate.adapter.out.upstream.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 standing in for Google: {@code POST /token} is an OAuth token endpoint that
 * checks a service account's JWT assertion against its public key (or accepts an authorized user's refresh token),
 * and every other path is Vertex AI, answering with scripted replies and recording what it received.
 */
final class MockGoogleCloud implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Received(String method, String path, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** One scripted Vertex reply; {@code events} are written one by one with a flush, as a stream. */
    record Reply(int status, String contentType, List<String> events, Map<String, String> headers) {
        static Reply json(int status, String body, String... headers) {
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 0; i < headers.length; i += 2) {
                h.put(headers[i], headers[i + 1]);
            }
            return new Reply(status, "application/json", List.of(body), h);
        }

        static Reply stream(String... events) {
            return new Reply(200, "text/event-stream", List.of(events), Map.of());
        }
    }

    private final HttpServer server;
    private final Deque<Reply> replies = new ArrayDeque<>();
    final List<Received> vertexRequests = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
    final List<JsonNode> verifiedAssertions = new CopyOnWriteArrayList<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    volatile PublicKey serviceAccountKey;
    volatile int tokenStatus = 200;

    MockGoogleCloud() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/", this::vertex);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String tokenUri() {
        return base() + "/token";
    }

    synchronized MockGoogleCloud then(Reply reply) {
        replies.add(reply);
        return this;
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        tokenRequests.add(form);
        boolean ok = tokenStatus == 200 && switch (form.getOrDefault("grant_type", "")) {
            case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> verify(form.get("assertion"));
            case "refresh_token" -> "fake-refresh-token".equals(form.get("refresh_token"));
            default -> false;
        };
        if (!ok) {
            send(exchange, tokenStatus == 200 ? 400 : tokenStatus, "application/json",
                    "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
            return;
        }
        int n = tokensIssued.incrementAndGet();
        send(exchange, 200, "application/json",
                "{\"access_token\":\"fake-access-token-" + n + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }

    /** RS256 over {@code header.payload}, checked with the service account's public key. */
    private boolean verify(String assertion) {
        try {
            String[] parts = assertion.split("\\.");
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(serviceAccountKey);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            verifiedAssertions.add(JSON.readTree(Base64.getUrlDecoder().decode(parts[1])));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void vertex(HttpExchange exchange) throws IOException {
        vertexRequests.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes()));
        Reply reply;
        synchronized (this) {
            reply = replies.poll();
        }
        if (reply == null) {
            send(exchange, 500, "text/plain", "no scripted reply");
            return;
        }
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (reply.contentType().equals("text/event-stream")) {
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String event : reply.events()) {
                    out.write(event.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
            return;
        }
        send(exchange, reply.status(), reply.contentType(), reply.events().getFirst());
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
