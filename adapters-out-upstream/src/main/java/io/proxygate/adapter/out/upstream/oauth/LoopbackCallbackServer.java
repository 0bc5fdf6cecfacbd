package io.proxygate.adapter.out.upstream.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.proxygate.application.auth.CallbackListenerPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Receives the provider's redirect after a browser login: the JDK's HttpServer on 127.0.0.1, the first free port of
 * a range, one path. It answers the browser with a small page and hands the query parameters to the login service,
 * which checks the state and exchanges the code.
 */
public final class LoopbackCallbackServer implements CallbackListenerPort {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackCallbackServer.class);

    @Override
    public Listener listen(int firstPort, int lastPort, String path) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int port = firstPort; port <= lastPort; port++) {
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(loopback, port), 0);
            } catch (BindException taken) {
                continue;
            }
            OneShot listener = new OneShot(server, path);
            server.createContext(path, listener::handle);
            server.start();
            LOG.info("waiting for the OAuth callback on http://localhost:{}{}", port, path);
            return listener;
        }
        throw new IOException("every port of " + firstPort + ".." + lastPort + " is in use");
    }

    private static final class OneShot implements Listener {
        private final HttpServer server;
        private final String path;
        private final CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();

        OneShot(HttpServer server, String path) {
            this.server = server;
            this.path = path;
        }

        @Override
        public int port() {
            return server.getAddress().getPort();
        }

        @Override
        public CompletableFuture<Map<String, String>> callback() {
            return callback;
        }

        void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    respond(exchange, 404, "Not found", "Nothing here.");
                    return;
                }
                Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
                String error = params.getOrDefault("error", "");
                String code = params.getOrDefault("code", "");
                if (callback.isDone()) {
                    respond(exchange, 409, "Already done", "This login has already finished. You can close this tab.");
                } else if (!error.isEmpty()) {
                    respond(exchange, 400, "Login failed", "The provider answered: " + error
                            + ". You can close this tab and try again.");
                    callback.complete(params);
                } else if (code.isEmpty()) {
                    // Not the redirect we wait for (a prefetch, a stray reload): keep waiting for the real one.
                    respond(exchange, 400, "Waiting", "waiting for authorization code");
                } else {
                    respond(exchange, 200, "Login received",
                            "ProxyGate received the login. You can close this tab and return to the terminal.");
                    callback.complete(params);
                }
            }
        }

        @Override
        public void close() {
            callback.completeExceptionally(new CancellationException("callback listener closed"));
            server.stop(0);
        }
    }

    static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(key, value);
            } catch (IllegalArgumentException malformed) {
                // a malformed escape: skip the pair rather than fail the login
            }
        }
        return params;
    }

    private static void respond(HttpExchange exchange, int status, String title, String text) throws IOException {
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>ProxyGate: " + escape(title)
                + "</title></head><body style=\"font-family:sans-serif;margin:3em\"><h1>" + escape(title)
                + "</h1><p>" + escape(text) + "</p></body></html>";
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
