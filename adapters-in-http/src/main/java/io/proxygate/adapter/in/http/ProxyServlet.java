package io.proxygate.adapter.in.http;

import io.proxygate.application.clientkey.ClientKeyService;
import io.proxygate.application.http.Headers;
import io.proxygate.application.proxy.ProxyCommand;
import io.proxygate.application.proxy.ProxyExchange;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.application.proxy.ProxyUseCase;
import io.proxygate.application.proxy.RequestFacts;
import io.proxygate.application.proxy.ResponseSink;
import io.proxygate.application.http.Route;
import io.proxygate.domain.credential.Api;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The relayed API routes, as a plain servlet beside Jersey: the hot path skips JAX-RS routing, filters and
 * interceptors (a third of the CPU a proxied request cost). Reads the body once, checks the client, asks the proxy use
 * case for a reply and streams it back, flushing every SSE chunk as it arrives. Errors leave in the route's own API
 * shape.
 */
public final class ProxyServlet extends HttpServlet {
    /** Exact paths of the API routes, with the prefixes clients really send ({@code /v1/v1/...} from some SDKs). */
    private static final Map<String, Route> ROUTES = Map.ofEntries(
            Map.entry("/responses", Route.RESPONSES),
            Map.entry("/v1/responses", Route.RESPONSES),
            Map.entry("/responses/compact", Route.RESPONSES_COMPACT),
            Map.entry("/v1/responses/compact", Route.RESPONSES_COMPACT),
            Map.entry("/v1/messages", Route.MESSAGES),
            Map.entry("/v1/v1/messages", Route.MESSAGES),
            Map.entry("/v1/messages/count_tokens", Route.MESSAGES_COUNT_TOKENS),
            Map.entry("/v1/v1/messages/count_tokens", Route.MESSAGES_COUNT_TOKENS),
            Map.entry("/v1/chat/completions", Route.CHAT_COMPLETIONS),
            Map.entry("/v1/v1/chat/completions", Route.CHAT_COMPLETIONS),
            Map.entry("/models", Route.MODELS),
            Map.entry("/v1/models", Route.MODELS));
    /**
     * The Go version's ChatGPT passthrough (Codex's extra calls): any method under these goes to the ChatGPT host with
     * a pooled account. Gated by the proxy token when one is set (the original left them open).
     */
    private static final List<String> PASSTHROUGH_PREFIXES =
            List.of("/backend-api/", "/ps/", "/plugins/", "/codex/", "/api/codex/", "/hazelnuts/");
    private static final Set<String> PASSTHROUGH_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    /** An SSE comment: clients ignore it, and writing it tells us whether the client is still there. */
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final RequestFacts NO_FACTS =
            new RequestFacts(null, false, Optional.empty(), Optional.empty(), Optional.empty());

    private final transient ProxyUseCase proxy;
    private final transient ClientAuth auth;
    private final long maxBodyBytes;
    private final transient DisconnectWatch disconnects;

    /**
     * Tells the servlet when a client's connection closes while its request waits for an upstream, which the servlet
     * API cannot say without I/O. The server supplies one; {@link #NONE} notices nothing.
     */
    public interface DisconnectWatch {
        /** Calls {@code onGone} (on any thread) if the client goes away before the returned watch is closed. */
        Watch watch(HttpServletRequest request, Runnable onGone);

        /** A watch in progress; closing it stops it. */
        interface Watch extends AutoCloseable {
            @Override
            void close();
        }
    }

    public static final DisconnectWatch NONE = (request, onGone) -> () -> { };

    public ProxyServlet(ProxyUseCase proxy, ClientAuth auth, long maxBodyBytes) {
        this(proxy, auth, maxBodyBytes, NONE);
    }

    public ProxyServlet(ProxyUseCase proxy, ClientAuth auth, long maxBodyBytes, DisconnectWatch disconnects) {
        this.proxy = proxy;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
        this.disconnects = disconnects;
    }

    /** The servlet mappings that reach this servlet: every exact route path and every passthrough subtree. */
    public static List<String> mappings() {
        List<String> mappings = new ArrayList<>(ROUTES.keySet());
        PASSTHROUGH_PREFIXES.forEach(prefix -> mappings.add(prefix + "*"));
        mappings.add("/hazelnuts");
        Collections.sort(mappings);
        return List.copyOf(mappings);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        String method = request.getMethod();
        if (!isCanonical(request)) {
            // Jetty maps the normalized path but the relay forwards the raw one: refuse any difference, so that
            // what is routed, authorized and sent upstream is one and the same path.
            sendError(response, Api.CHAT_COMPLETIONS, 400, "invalid_request_error",
                    "path must be in normal form (no '.' or '..' segments, empty segments, ';' parameters or encoded"
                            + " separators)", Optional.empty());
            return;
        }
        Route route = ROUTES.get(path);
        if (route == null) {
            if (!isPassthrough(path)) {
                sendError(response, Api.CHAT_COMPLETIONS, 404, "not_found", "no route for " + path, Optional.empty());
            } else if (!PASSTHROUGH_METHODS.contains(method)) {
                methodNotAllowed(response, Api.CHAT_COMPLETIONS, String.join(", ", PASSTHROUGH_METHODS));
            } else {
                handle(Route.PASSTHROUGH, method, request, response);
            }
            return;
        }
        String allowed = route == Route.MODELS ? "GET" : "POST";
        if (!allowed.equals(method)) {
            methodNotAllowed(response, route.api(), allowed);
            return;
        }
        handle(route, null, request, response);
    }

    /** Whether the raw request path, decoded, is exactly the path the container mapped to this servlet. */
    static boolean isCanonical(HttpServletRequest request) {
        String raw = request.getRequestURI();
        if (raw == null || raw.indexOf('\\') >= 0 || raw.contains("//")) {
            return false;
        }
        String mapped = Objects.requireNonNullElse(request.getContextPath(), "")
                + Objects.requireNonNullElse(request.getServletPath(), "")
                + Objects.requireNonNullElse(request.getPathInfo(), "");
        if (raw.indexOf('%') < 0) {
            return raw.equals(mapped); // the common case: nothing to decode
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c")) {
            return false; // an encoded separator reads as one path here and as another upstream
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8).equals(mapped);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** The exact paths whose POST bodies are JSON (every route but the model list and the passthrough). */
    public static List<String> jsonPostPaths() {
        return ROUTES.entrySet().stream().filter(e -> e.getValue() != Route.MODELS).map(Map.Entry::getKey).sorted()
                .toList();
    }

    private static boolean isPassthrough(String path) {
        if (path.equals("/hazelnuts")) {
            return true;
        }
        for (String prefix : PASSTHROUGH_PREFIXES) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** One request, in order: client auth, body read once, facts, the proxy's reply; errors in the API's shape. */
    private void handle(Route route, String passthroughMethod, HttpServletRequest request,
                        HttpServletResponse response) throws IOException {
        Api api = route.api();
        Headers headers = headersOf(request);
        String principal;
        try {
            principal = auth.identify(route, headers);
        } catch (ProxyFailure refused) {
            sendError(response, api, refused.status(), refused.errorType(), refused.getMessage(), Optional.empty());
            return;
        }
        ProxyExchange exchange;
        WaitingComments waiting = new WaitingComments(response);
        ClientKeyService.Ticket ticket = ClientKeyService.Ticket.NONE;
        try {
            RequestBodies.Read read = RequestBodies.read(request.getInputStream(),
                    headers.first("Content-Encoding").orElse(""), maxBodyBytes, request.getContentLengthLong());
            byte[] body = read.decoded();
            // Passthrough bodies are the ChatGPT site's own business: relayed, never parsed.
            RequestFacts facts = route == Route.PASSTHROUGH ? NO_FACTS : RequestFactsReader.read(route, body, headers);
            // The key's rules, rate and budget are checked once the model is known; its slot is held to the end.
            ticket = auth.admit(principal, route, facts.model(), body.length);
            ProxyCommand command = new ProxyCommand(route, request.getQueryString(), headers, body, facts,
                    passthroughMethod, request.getRequestURI(), read.encoded(), principal);
            // A streamed request waiting in line for a busy credential hears SSE comments meanwhile.
            exchange = openWatched(request, command, facts.stream() ? waiting : null);
        } catch (ProxyFailure f) {
            ticket.close();
            if (waiting.started()) {
                // The 200 and the event-stream type are already sent: the failure goes as an error event.
                writeQuietly(response, ApiErrors.streamEvent(api, f.errorType(), f.getMessage()));
                return;
            }
            try {
                sendError(response, api, f.status(), f.errorType(), f.getMessage(), f.retryAfter());
            } catch (IOException clientGone) {
                // 499: the client left before the first byte, so there is usually nobody to answer
            }
            return;
        } catch (RequestBodies.Rejected e) {
            sendError(response, api, e.status(), "invalid_request_error", e.getMessage(), Optional.empty());
            return;
        } catch (IOException e) {
            sendError(response, api, 400, "invalid_request_error", "could not read request body", Optional.empty());
            return;
        }
        try {
            if (waiting.started() && (exchange.status() >= 300 || !exchange.eventStream())) {
                // Committed as a stream while waiting: an answer that is not a stream becomes an error event.
                try (exchange) {
                    writeQuietly(response, ApiErrors.streamEvent(api, "api_error",
                            "upstream answered " + exchange.status() + " after the wait for a free credential"));
                }
                return;
            }
            relay(api, exchange, response);
        } finally {
            ticket.close();
        }
    }

    /**
     * Opens the exchange while watching the client: if it leaves during the attempts, this thread is interrupted,
     * which cancels the upstream wait; the proxy then stops without marking the credential. The interrupt is
     * confined to the attempts: it is never delivered after they end, and a late one is cleared.
     */
    private ProxyExchange openWatched(HttpServletRequest request, ProxyCommand command,
                                      Runnable whileWaiting) {
        Thread thread = Thread.currentThread();
        Object lock = new Object();
        boolean[] attempting = {true};
        try (DisconnectWatch.Watch ignored = disconnects.watch(request, () -> {
            synchronized (lock) {
                if (attempting[0]) {
                    thread.interrupt();
                }
            }
        })) {
            return whileWaiting == null ? proxy.open(command) : proxy.open(command, whileWaiting);
        } finally {
            synchronized (lock) {
                attempting[0] = false;
            }
            Thread.interrupted();
        }
    }

    private static void writeQuietly(HttpServletResponse response, byte[] bytes) {
        try {
            response.getOutputStream().write(bytes);
            response.flushBuffer();
        } catch (IOException clientGone) {
            // Nobody is listening any more.
        }
    }

    /**
     * SSE comments for a streamed request while it waits in line: the first commits a 200 with the event-stream
     * type (the same answer the stream would start with), each writes {@code : waiting for a free credential}.
     */
    private static final class WaitingComments implements Runnable {
        private static final byte[] COMMENT = ": waiting for a free credential\n\n".getBytes(StandardCharsets.US_ASCII);
        private final HttpServletResponse response;
        private volatile boolean started;

        WaitingComments(HttpServletResponse response) {
            this.response = response;
        }

        boolean started() {
            return started;
        }

        @Override
        public synchronized void run() {
            try {
                if (!started) {
                    response.setStatus(200);
                    response.setContentType("text/event-stream");
                    response.setHeader("Cache-Control", "no-cache");
                    response.setHeader("X-Content-Type-Options", OriginSafeHeaders.NOSNIFF);
                    started = true;
                }
                response.getOutputStream().write(COMMENT);
                response.flushBuffer();
            } catch (IOException clientGone) {
                // The client left; the wait ends at its deadline and the answer goes nowhere.
            }
        }
    }

    private static void relay(Api api, ProxyExchange exchange, HttpServletResponse response) throws IOException {
        try {
            response.setStatus(exchange.status());
            for (Map.Entry<String, String> field : exchange.headers().fields()) {
                String name = field.getKey();
                if (name.equalsIgnoreCase("Content-Type")) {
                    response.setContentType(OriginSafeHeaders.contentType(field.getValue()));
                } else if (!name.equalsIgnoreCase("Content-Length") && OriginSafeHeaders.relayed(name)) {
                    response.addHeader(name, field.getValue());
                }
            }
            response.setHeader("X-Content-Type-Options", OriginSafeHeaders.NOSNIFF);
            response.setHeader("Content-Security-Policy", OriginSafeHeaders.SANDBOX_CSP);
            // A JSON reply is one message: it leaves in one write when it fits the response buffer. Anything
            // else may be a stream (SSE above all), so each chunk is flushed as it arrives.
            ServletSink sink = new ServletSink(response.getOutputStream(), api, !isJson(response.getContentType()));
            exchange.relayTo(sink);
            // A cut event stream has been answered with an error event (flushed, so committed) by the relay.
            if (!sink.ended() && !response.isCommitted()) {
                // The upstream cut a reply still in our buffer: an error beats a truncated body that looks whole.
                response.reset();
                sendError(response, api, 502, "api_error", "upstream reply was cut short", Optional.empty());
            }
        } catch (IOException clientGone) {
            // The client went away: the exchange cancelled the upstream and recorded it; nothing to answer.
        } finally {
            exchange.close();
        }
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    private static Headers headersOf(HttpServletRequest request) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                fields.add(Map.entry(name, value));
            }
        }
        return new Headers(fields);
    }

    private static void methodNotAllowed(HttpServletResponse response, Api api, String allowed) throws IOException {
        response.setHeader("Allow", allowed);
        sendError(response, api, 405, "invalid_request_error", "method not allowed; use " + allowed, Optional.empty());
    }

    private static void sendError(HttpServletResponse response, Api api, int status, String type, String message,
                                  Optional<Duration> retryAfter) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("X-Content-Type-Options", OriginSafeHeaders.NOSNIFF);
        retryAfter.ifPresent(d -> response.setHeader("Retry-After",
                Long.toString(Math.max(1, (d.toMillis() + 999) / 1000))));
        byte[] body = (ApiErrors.body(api, status, type, message) + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Writes each chunk, flushing it at once when the reply may be a stream so every SSE event leaves as it comes. */
    private static final class ServletSink implements ResponseSink {
        private final OutputStream out;
        private final Api api;
        private final boolean flushEachChunk;
        private boolean ended;

        ServletSink(OutputStream out, Api api, boolean flushEachChunk) {
            this.out = out;
            this.api = api;
            this.flushEachChunk = flushEachChunk;
        }

        boolean ended() {
            return ended;
        }

        /** Completes the reply (Jetty sets the length of a buffered one); the request-log insert runs after it. */
        @Override
        public void end() throws IOException {
            ended = true;
            out.close();
        }

        @Override
        public void write(ByteBuffer chunk) throws IOException {
            if (chunk.hasArray()) {
                out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
                chunk.position(chunk.limit());
            } else {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                out.write(bytes);
            }
            if (flushEachChunk) {
                out.flush();
            }
        }

        @Override
        public void keepAlive() throws IOException {
            out.write(KEEP_ALIVE);
            out.flush();
        }

        @Override
        public void streamError(String errorType, String message) throws IOException {
            out.write(ApiErrors.streamEvent(api, errorType, message));
            out.flush();
        }
    }
}
