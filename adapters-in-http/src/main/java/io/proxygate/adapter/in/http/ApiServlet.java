package io.proxygate.adapter.in.http;

import io.proxygate.application.http.Route;
import io.proxygate.domain.credential.Api;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.glassfish.jersey.servlet.ServletContainer;
import org.glassfish.jersey.uri.internal.JerseyUriBuilder;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * The API's own Jersey container, mounted on exactly the API paths ({@link ApiRoutes#mappings()}) beside the
 * admin application. Before Jersey, it refuses what must never be relayed: a path that is not in normal form
 * (routed as one path, forwarded as another) and a method the route does not accept; both answers are in the route's
 * API shape. HEAD and OPTIONS are such methods: the relay has nothing to answer them with. Every route is mapped
 * under the server's root, so Jersey gets the root as its base URI whatever servlet mapping matched.
 */
public final class ApiServlet extends ServletContainer {
    private static final URI BASE = URI.create("http://api.proxygate/");
    private static final String ORIGIN = "http://api.proxygate";

    /**
     * The servlet request, response and route of the exchange this thread is serving. Jersey runs a resource method
     * on the thread that called it (the API application never suspends), so the resource reads them from here instead
     * of having Jersey inject them, and the route found here, per request.
     */
    private static final ThreadLocal<Exchange> CURRENT = new ThreadLocal<>();

    /** A servlet request, its response and the route its path was found to be. */
    record Exchange(HttpServletRequest request, HttpServletResponse response, Route route) {
    }

    public ApiServlet(ApiApplication application) {
        super(application);
    }

    /** The exchange this thread is serving; only valid inside a resource method. */
    static Exchange current() {
        Exchange exchange = CURRENT.get();
        if (exchange == null) {
            throw new IllegalStateException("no API exchange on this thread");
        }
        return exchange;
    }

    @Override
    public void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (!ApiRoutes.isCanonical(request)) {
            ApiErrorReplies.send(response, Api.CHAT_COMPLETIONS, 400, "invalid_request_error",
                    "path must be in normal form (no '.' or '..' segments, empty segments, ';' parameters or encoded"
                            + " separators)", Optional.empty());
            return;
        }
        String path = request.getRequestURI();
        Route route = ApiRoutes.route(path);
        if (route == null) {
            ApiErrorReplies.send(response, Api.CHAT_COMPLETIONS, 404, "not_found", "no route for " + path,
                    Optional.empty());
            return;
        }
        if (!ApiRoutes.methods(route).contains(request.getMethod())) {
            String allowed = String.join(", ", ApiRoutes.methods(route).stream().sorted().toList());
            response.setHeader("Allow", allowed);
            ApiErrorReplies.send(response, route.api(), 405, "invalid_request_error",
                    "method not allowed; use " + allowed, Optional.empty());
            return;
        }
        URI requestUri;
        try {
            String query = request.getQueryString();
            requestUri = query == null ? URI.create(ORIGIN + path)
                    : new JerseyUriBuilder().uri(ORIGIN + path).replaceQuery(query).build();
        } catch (IllegalArgumentException | jakarta.ws.rs.core.UriBuilderException malformed) {
            ApiErrorReplies.send(response, route.api(), 400, "invalid_request_error", "malformed request URI",
                    Optional.empty());
            return;
        }
        CURRENT.set(new Exchange(request, response, route));
        try {
            service(BASE, requestUri, request, response);
        } finally {
            CURRENT.remove();
        }
    }
}
