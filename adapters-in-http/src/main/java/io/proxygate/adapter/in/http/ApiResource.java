package io.proxygate.adapter.in.http;

import io.proxygate.application.clientkey.ClientKeyService;
import io.proxygate.application.http.Headers;
import io.proxygate.application.proxy.ProxyCommand;
import io.proxygate.application.proxy.ProxyExchange;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.application.proxy.ProxyUseCase;
import io.proxygate.application.proxy.RequestFacts;
import io.proxygate.application.http.Route;
import io.proxygate.domain.credential.Api;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The relayed API routes. Each request, in order: the client is identified, the body is read once, its facts
 * (model, stream, conversation) are read, the client key's rules admit it, and the proxy use case opens an upstream
 * reply. The reply leaves through {@link ExchangeOutput}, a {@code StreamingOutput} that flushes every SSE event as it
 * arrives. Failures before the first byte leave as errors in the route's own API shape.
 * <p>
 * Paths reach this resource only through {@link ApiServlet}, which has already refused non-canonical paths and
 * methods the route does not accept.
 */
@Path("{path: .+}")
public final class ApiResource {
    private static final RequestFacts NO_FACTS =
            new RequestFacts(null, false, Optional.empty(), Optional.empty(), Optional.empty());

    private final ProxyUseCase proxy;
    private final ClientAuth auth;
    private final long maxBodyBytes;
    private final DisconnectWatch disconnects;

    public ApiResource(ProxyUseCase proxy, ClientAuth auth, long maxBodyBytes, DisconnectWatch disconnects) {
        this.proxy = proxy;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
        this.disconnects = disconnects;
    }

    /*
     * One method per HTTP method, each taking any API path (the class's one template, so Jersey matches a single
     * pattern per request): which route a path is lives in one table, ApiRoutes,
     * which ApiServlet has already used to refuse methods a route does not accept. The servlet request and response
     * come from ApiServlet's exchange in progress rather than from @Context parameters: Jersey resolves those through
     * its injection framework on every request, which the profile showed as a measurable share of a relayed
     * request's CPU; the body is read from the servlet request itself for the same reason (no entity provider), and
     * the route ApiServlet found is used as found.
     */

    @GET
    public Response get() {
        return handle("GET");
    }

    @POST
    public Response post() {
        return handle("POST");
    }

    @PUT
    public Response put() {
        return handle("PUT");
    }

    @PATCH
    public Response patch() {
        return handle("PATCH");
    }

    @DELETE
    public Response delete() {
        return handle("DELETE");
    }

    private Response handle(String method) {
        ApiServlet.Exchange current = ApiServlet.current();
        Route route = current.route();
        return handle(route, route == Route.PASSTHROUGH ? method : null, current.request(), current.response());
    }

    private Response handle(Route route, String passthroughMethod, HttpServletRequest request,
                            HttpServletResponse response) {
        Api api = route.api();
        Headers headers = headersOf(request);
        String principal;
        try {
            principal = auth.identify(route, headers);
        } catch (ProxyFailure refused) {
            return ApiErrorReplies.reply(api, refused.status(), refused.errorType(), refused.getMessage(),
                    Optional.empty());
        }
        WaitingComments waiting = new WaitingComments(response);
        ClientKeyService.Ticket ticket = ClientKeyService.Ticket.NONE;
        ProxyExchange exchange;
        try {
            RequestBodies.Read read = RequestBodies.read(request.getInputStream(),
                    headers.first("Content-Encoding").orElse(""), maxBodyBytes, request.getContentLengthLong());
            byte[] body = read.decoded();
            // Passthrough bodies are the ChatGPT site's own business: relayed, never parsed.
            RequestFacts facts = route == Route.PASSTHROUGH ? NO_FACTS : RequestFactsReader.read(route, body, headers);
            ProxyCommand command = new ProxyCommand(route, request.getQueryString(), headers, body, facts,
                    passthroughMethod, request.getRequestURI(), read.encoded(), principal);
            // The key's rules, rate and budget are checked once the model is known; its slot is held to the end.
            try {
                ticket = auth.admit(principal, route, route == Route.PASSTHROUGH
                        ? passthroughModel(principal, decodedPath(request), body, headers) : facts.model(),
                        body.length);
            } catch (ProxyFailure refusal) {
                proxy.refused(command, refusal);
                throw refusal;
            }
            // A streamed request waiting in line for a busy credential hears SSE comments meanwhile.
            try {
                exchange = openWatched(request, command, facts.stream() ? waiting : null);
            } catch (RuntimeException unexpected) {
                if (!(unexpected instanceof ProxyFailure)) {
                    ticket.close(); // a fault of ours must not keep the key's slot and reservation
                }
                throw unexpected;
            }
        } catch (ProxyFailure f) {
            ticket.close();
            if (waiting.started()) {
                // The 200 and the event-stream type are already sent: the failure goes as an error event.
                return ExchangeOutput.errorEvent(ApiErrors.streamEvent(api, f.errorType(), f.getMessage()));
            }
            return ApiErrorReplies.reply(api, f.status(), f.errorType(), f.getMessage(), f.retryAfter());
        } catch (RequestBodies.Rejected e) {
            return ApiErrorReplies.reply(api, e.status(), "invalid_request_error", e.getMessage(), Optional.empty());
        } catch (IOException e) {
            return ApiErrorReplies.reply(api, 400, "invalid_request_error", "could not read request body",
                    Optional.empty());
        }
        if (waiting.started() && (exchange.status() >= 300 || !exchange.eventStream())) {
            // Committed as a stream while waiting: an answer that is not a stream becomes an error event.
            int status = exchange.status();
            exchange.close();
            ticket.close();
            return ExchangeOutput.errorEvent(ApiErrors.streamEvent(api, "api_error",
                    "upstream answered " + status + " after the wait for a free credential"));
        }
        return ExchangeOutput.reply(api, exchange, ticket, response);
    }

    /** The path as the container decoded it, lower case and without a trailing slash, for matching routes. */
    private static String decodedPath(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        path = path.toLowerCase(java.util.Locale.ROOT);
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * The model a passthrough call names, for a client key's rules: any JSON body's {@code model} (whatever path it
     * goes to: the upstream may read a path we would spell differently), "" on the Codex model API when the body
     * names none or is no JSON object (which a model rule refuses), null on the site's other pages. Read only for
     * client keys: the owner's passthrough bodies are relayed unparsed.
     */
    private static String passthroughModel(String principal, String path, byte[] body, Headers headers) {
        if (principal.equals(ClientKeyService.OWNER) || principal.equals(ClientKeyService.OPEN)) {
            return null;
        }
        String model = null;
        try {
            model = RequestFactsReader.read(Route.RESPONSES, body, headers).model();
        } catch (RuntimeException notAJsonObject) {
            // no model to read
        }
        if (model != null) {
            return model;
        }
        return ApiRoutes.isCodexModelCall(path) ? "" : null;
    }

    /**
     * Opens the exchange while watching the client: if it leaves during the attempts, this thread is interrupted,
     * which cancels the upstream wait; the proxy then stops without marking the credential. The interrupt is
     * confined to the attempts: it is never delivered after they end, and a late one is cleared.
     */
    private ProxyExchange openWatched(HttpServletRequest request, ProxyCommand command, Runnable whileWaiting) {
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

    private static Headers headersOf(HttpServletRequest request) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                fields.add(Map.entry(name, value));
            }
        }
        return new Headers(fields);
    }

    /**
     * SSE comments for a streamed request while it waits in line: the first commits a 200 with the event-stream
     * type (the same answer the stream would start with), each writes {@code : waiting for a free credential}. They
     * go straight to the servlet response because the resource has not returned yet; once it does, the reply's own
     * status and headers find the response committed with the same 200 and type, and the relay continues the body.
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
                    response.setContentType(ExchangeOutput.EVENT_STREAM);
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
}
