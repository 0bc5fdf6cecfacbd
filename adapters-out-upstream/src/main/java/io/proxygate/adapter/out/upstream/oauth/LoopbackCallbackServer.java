package io.proxygate.adapter.out.upstream.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.proxygate.application.port.out.CallbackListenerPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Receives the provider's redirect after a browser login: the JDK's HttpServer on 127.0.0.1, the first free port of
 * a range, one path. Any local web page can send requests to the port, so nothing is acted on (not even an
 * {@code error}) unless it carries the login's state, which only the provider's redirect knows. The redirect's query
 * parameters go to the login service, which exchanges the code; the browser's page waits for that outcome and says
 * "Login received" only when the account was saved.
 */
public final class LoopbackCallbackServer implements CallbackListenerPort {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackCallbackServer.class);

    /** How long the browser's page waits for the code exchange before saying the terminal has the result. */
    static final Duration OUTCOME_WAIT = Duration.ofSeconds(60);
    /** How long closing waits for the page of an accepted callback to be written. */
    private static final Duration RESPONSE_WAIT = Duration.ofSeconds(5);

    @Override
    public Listener listen(int firstPort, int lastPort, String path, String expectedState) throws IOException {
        if (expectedState == null || expectedState.isEmpty()) {
            throw new IllegalArgumentException("a callback listener needs the login's state");
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int port = firstPort; port <= lastPort; port++) {
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(loopback, port), 0);
            } catch (BindException taken) {
                continue;
            }
            OneShot listener = new OneShot(server, path, expectedState);
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
        private final byte[] expectedState;
        private final CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();
        private final CompletableFuture<Optional<String>> outcome = new CompletableFuture<>();
        private final CountDownLatch answered = new CountDownLatch(1);
        private volatile boolean accepted;

        OneShot(HttpServer server, String path, String expectedState) {
            this.server = server;
            this.path = path;
            this.expectedState = expectedState.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int port() {
            return server.getAddress().getPort();
        }

        @Override
        public CompletableFuture<Map<String, String>> callback() {
            return callback;
        }

        @Override
        public void finish(Optional<String> failure) {
            outcome.complete(failure);
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
                } else if (!stateMatches(params.get("state"))) {
                    // Not the provider's redirect for this login (a stray request, or a page trying to end it).
                    respond(exchange, 400, "Not this login",
                            "This request does not belong to the pending login; ProxyGate keeps waiting.");
                } else if (!error.isEmpty()) {
                    respond(exchange, 400, "Login failed", "The provider answered: " + error
                            + ". You can close this tab and try again.");
                    callback.complete(params);
                } else if (code.isEmpty()) {
                    // Not the redirect we wait for (a prefetch, a stray reload): keep waiting for the real one.
                    respond(exchange, 400, "Waiting", "waiting for authorization code");
                } else {
                    accepted = true;
                    try {
                        callback.complete(params);
                        answerWithOutcome(exchange);
                    } finally {
                        answered.countDown();
                    }
                }
            }
        }

        private void answerWithOutcome(HttpExchange exchange) throws IOException {
            Optional<String> failure;
            try {
                failure = outcome.get(OUTCOME_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                respond(exchange, 202, "Still working",
                        "ProxyGate is still finishing the login; the terminal shows the result.");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                respond(exchange, 503, "Interrupted", "ProxyGate stopped; the terminal shows the result.");
                return;
            } catch (ExecutionException e) {
                failure = Optional.of("login failed");
            }
            if (failure.isEmpty()) {
                respond(exchange, 200, "Login received",
                        "ProxyGate received the login. You can close this tab and return to the terminal.");
            } else {
                respond(exchange, 502, "Login failed", failure.get() + ". You can close this tab and try again.");
            }
        }

        private boolean stateMatches(String state) {
            return state != null && MessageDigest.isEqual(expectedState, state.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            callback.completeExceptionally(new CancellationException("callback listener closed"));
            outcome.complete(Optional.of("login cancelled"));
            if (accepted) {
                try {
                    // The page of the accepted redirect is being written: let it reach the browser.
                    answered.await(RESPONSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
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
