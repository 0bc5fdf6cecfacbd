package io.proxygate.adapter.in.http;

import io.proxygate.application.http.Route;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CORS for the browser origins the operator listed in {@code [server] allowed_origins}, on the relayed model API
 * routes only. A browser chat UI sends {@code Authorization} and a JSON body, so every call it makes is preceded by
 * a preflight; without an answer to it, and without {@code Access-Control-Allow-Origin} on the reply, the browser
 * hides every reply from the page. The ChatGPT passthrough paths, the admin API and the dashboard get none of this:
 * a listed origin is trusted to call the model API, not to read the operator's accounts or run the gateway.
 * <p>
 * Origins are echoed one at a time (never {@code *}) and no credentials are allowed: the page authenticates with
 * the proxy token or a client key it holds, not with the dashboard's cookie.
 */
final class ApiCors {
    /** How long a browser may reuse a preflight answer (browsers cap it lower anyway: Chrome at two hours). */
    static final String MAX_AGE_SECONDS = "600";
    /**
     * The reply headers a page may read: the wait before a retry, the upstreams' request ids (what a support ticket
     * asks for), their rate-limit counters, and our cost estimate on translated replies.
     */
    static final String EXPOSED = String.join(", ", "Retry-After", "request-id", "x-request-id",
            "X-ProxyGate-Estimate", "x-ratelimit-limit-requests", "x-ratelimit-limit-tokens",
            "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-requests",
            "x-ratelimit-reset-tokens");
    /** A request header name as a page would send it: letters, digits and dashes; anything else is not echoed. */
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final int MAX_ECHOED_HEADERS = 32;
    private static final List<String> REPLY_HEADERS =
            List.of("Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Vary");

    private ApiCors() {
    }

    /** Whether the path is a model API route that answers listed origins (the passthrough is not one). */
    static boolean covers(String path) {
        Route route = ApiRoutes.route(path);
        return route != null && route != Route.PASSTHROUGH;
    }

    /** A CORS preflight: OPTIONS naming the method the page means to send. */
    static boolean isPreflight(HttpServletRequest request) {
        return "OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null;
    }

    /**
     * Answers a preflight from a listed origin: 204, the route's own methods, and the request headers asked for
     * that are plain header names. A method the route does not take is simply not among those allowed, and the
     * browser stops there.
     */
    static void answerPreflight(HttpServletRequest request, HttpServletResponse response, String origin) {
        Route route = ApiRoutes.route(request.getRequestURI());
        response.setStatus(204);
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        response.setHeader("Access-Control-Allow-Methods",
                String.join(", ", ApiRoutes.methods(route).stream().sorted().toList()));
        String headers = allowedHeaders(request.getHeader("Access-Control-Request-Headers"));
        if (!headers.isEmpty()) {
            response.setHeader("Access-Control-Allow-Headers", headers);
        }
        response.setHeader("Access-Control-Max-Age", MAX_AGE_SECONDS);
        response.setContentLength(0);
    }

    /** Lets the listed origin read the reply about to be written, streamed or not. */
    static void allow(HttpServletResponse response, String origin) {
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Access-Control-Expose-Headers", EXPOSED);
        response.setHeader("Vary", "Origin");
    }

    /** The CORS headers a response carries, to be set again after {@link HttpServletResponse#reset()}. */
    static Map<String, String> carried(HttpServletResponse response) {
        Map<String, String> carried = new LinkedHashMap<>();
        if (response.getHeader("Access-Control-Allow-Origin") != null) {
            REPLY_HEADERS.forEach(name -> {
                String value = response.getHeader(name);
                if (value != null) {
                    carried.put(name, value);
                }
            });
        }
        return carried;
    }

    /**
     * The upstream's {@code Vary} merged with ours: a reply that differs by origin must say so even when the
     * upstream's own {@code Vary} replaces the header.
     */
    static String vary(HttpServletResponse response, String upstream) {
        String ours = response.getHeader("Vary");
        if (ours == null || ours.isBlank()) {
            return upstream;
        }
        for (String field : upstream.split(",")) {
            if (field.trim().equalsIgnoreCase("origin")) {
                return upstream;
            }
        }
        return ours + ", " + upstream;
    }

    /** The requested header names that are plain tokens, lower-cased, without repeats; others are dropped. */
    static String allowedHeaders(String requested) {
        if (requested == null) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (String field : requested.split(",")) {
            String name = field.trim().toLowerCase(Locale.ROOT);
            if (HEADER_NAME.matcher(name).matches() && !names.contains(name) && names.size() < MAX_ECHOED_HEADERS) {
                names.add(name);
            }
        }
        return String.join(", ", names);
    }
}
