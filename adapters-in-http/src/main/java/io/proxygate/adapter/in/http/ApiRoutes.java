package io.proxygate.adapter.in.http;

import io.proxygate.application.http.Route;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The table of relayed API paths: which path is which {@link Route}, which methods each accepts, and the servlet
 * mappings that send exactly these paths to the API's Jersey application (everything else stays with the admin
 * application).
 */
public final class ApiRoutes {
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
     * The ChatGPT site's own paths that Codex calls besides the model API: any method under these goes to the ChatGPT
     * host with a pooled account. Gated by client keys and the proxy token like every API route.
     */
    static final List<String> PASSTHROUGH_PREFIXES =
            List.of("/backend-api/", "/ps/", "/plugins/", "/codex/", "/api/codex/", "/hazelnuts/");
    static final String PASSTHROUGH_ROOT = "/hazelnuts";
    static final Set<String> PASSTHROUGH_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> MODELS_METHODS = Set.of("GET");
    private static final Set<String> POST_ONLY = Set.of("POST");

    private ApiRoutes() {
    }

    /** The route of an exact path, {@link Route#PASSTHROUGH} under a passthrough prefix, else null. */
    public static Route route(String path) {
        Route route = ROUTES.get(path);
        if (route != null) {
            return route;
        }
        return isPassthrough(path) ? Route.PASSTHROUGH : null;
    }

    /** The methods a route accepts; anything else is answered 405 in the route's API shape. */
    public static Set<String> methods(Route route) {
        return switch (route) {
            case PASSTHROUGH -> PASSTHROUGH_METHODS;
            case MODELS -> MODELS_METHODS;
            default -> POST_ONLY;
        };
    }

    /** The servlet mappings that reach the API application: every exact route path and every passthrough subtree. */
    public static List<String> mappings() {
        List<String> mappings = new ArrayList<>(ROUTES.keySet());
        PASSTHROUGH_PREFIXES.forEach(prefix -> mappings.add(prefix + "*"));
        mappings.add(PASSTHROUGH_ROOT);
        Collections.sort(mappings);
        return List.copyOf(mappings);
    }

    /** The exact paths whose POST bodies are JSON (every route but the model list and the passthrough). */
    public static List<String> jsonPostPaths() {
        return ROUTES.entrySet().stream().filter(e -> e.getValue() != Route.MODELS).map(Map.Entry::getKey).sorted()
                .toList();
    }

    /**
     * Whether a passthrough path is the Codex model API ({@code .../codex/responses}, and its {@code /compact}),
     * whose body names a model that a client key's rules and budget apply to.
     */
    static boolean isCodexModelCall(String path) {
        return path.endsWith("/codex/responses") || path.endsWith("/codex/responses/compact");
    }

    static boolean isPassthrough(String path) {
        if (path.equals(PASSTHROUGH_ROOT)) {
            return true;
        }
        for (String prefix : PASSTHROUGH_PREFIXES) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the raw request path, decoded, is exactly the path the container mapped. The relay forwards the raw
     * path while the container routes the normalized one, so any difference ('.' or '..' segments, empty segments,
     * ';' parameters, encoded separators) could route and authorize one path and send another upstream.
     */
    public static boolean isCanonical(HttpServletRequest request) {
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
}
