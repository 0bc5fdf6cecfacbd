package io.proxygate.adapter.in.http;

import io.proxygate.domain.credential.Api;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps web pages out of the main port. Browsers, unlike the CLIs and SDKs this port serves, can be made to send
 * requests by any page the user opens; three checks stop that without touching real clients, which send none of
 * what is refused:
 * <ul>
 * <li><b>Host</b> must be a name this server answers to (loopback names, the listen address, the public URL's
 * host, the configured extras): a DNS-rebound name is refused with 421, so a page can never read our replies.</li>
 * <li><b>Cross-site browser requests</b> (an {@code Origin} that is not this server's, or {@code Sec-Fetch-Site}
 * {@code cross-site}/{@code same-site}) are refused with 403 on the API, passthrough and admin routes. Another port
 * on 127.0.0.1 is another origin.</li>
 * <li><b>JSON routes take JSON</b>: a POST to an API route must say {@code Content-Type: application/json}, else
 * 415. Forms and {@code text/plain} are what a page can send without a CORS preflight.</li>
 * </ul>
 * Origins the operator listed pass the second check, and on the model API routes they also get CORS answers
 * ({@link ApiCors}): a page on such an origin can make the preflighted calls a chat UI makes and read the replies.
 * Errors leave in the shape the route's clients expect.
 */
public final class BrowserGuard implements Filter {
    /** The host names a request may carry. */
    public record HostPolicy(Set<String> names, boolean anyIpLiteral, boolean anyHost, Set<String> trustedOrigins,
                             Set<String> corsOrigins) {
        /**
         * {@code trustedOrigins} pass the cross-site check; {@code corsOrigins}, the operator's listed ones among
         * them, also get CORS answers on the model API routes (the public URL's origin is ours and needs none).
         */
        public HostPolicy {
            names = lower(names);
            trustedOrigins = lower(trustedOrigins);
            corsOrigins = lower(corsOrigins);
        }

        /**
         * Loopback names, the listen host, the public URL's host and the configured names ({@code *} allows any).
         * A wildcard listen address ({@code 0.0.0.0}, {@code ::}) also allows any IP literal: a rebinding attack
         * needs a DNS name, and clients of a server on all interfaces reach it by its addresses.
         */
        public static HostPolicy of(String listenHost, Optional<URI> publicBaseUrl, Collection<String> configured) {
            return of(listenHost, publicBaseUrl, configured, java.util.List.of());
        }

        /**
         * As above, plus browser origins allowed to call the API (a local web UI on another port, say), each as
         * {@code scheme://host[:port]}.
         */
        public static HostPolicy of(String listenHost, Optional<URI> publicBaseUrl, Collection<String> configured,
                                    Collection<String> allowedOrigins) {
            Set<String> names = new HashSet<>(Set.of("localhost", "127.0.0.1", "::1", "[::1]"));
            String listen = listenHost.toLowerCase(Locale.ROOT);
            boolean wildcard = listen.isEmpty() || listen.equals("0.0.0.0") || listen.equals("::")
                    || listen.equals("[::]");
            if (!wildcard) {
                names.add(bare(listen));
            }
            Set<String> origins = new HashSet<>();
            publicBaseUrl.ifPresent(u -> {
                if (u.getHost() != null) {
                    names.add(bare(u.getHost().toLowerCase(Locale.ROOT)));
                    origins.add(origin(u));
                }
            });
            boolean any = false;
            for (String c : configured) {
                String n = c.trim().toLowerCase(Locale.ROOT);
                if (n.equals("*")) {
                    any = true;
                } else if (!n.isEmpty()) {
                    names.add(bare(n));
                }
            }
            Set<String> listed = new HashSet<>();
            for (String o : allowedOrigins) {
                String t = o.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    listed.add(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
                }
            }
            origins.addAll(listed);
            return new HostPolicy(names, wildcard, any, origins, listed);
        }

        boolean allows(String host) {
            if (anyHost) {
                return true;
            }
            String h = bare(host.toLowerCase(Locale.ROOT));
            return names.contains(h) || (anyIpLiteral && isIpLiteral(h));
        }

        private static Set<String> lower(Set<String> values) {
            Set<String> out = new HashSet<>();
            values.forEach(v -> out.add(v.toLowerCase(Locale.ROOT)));
            return Set.copyOf(out);
        }
    }

    /** The paths whose POSTs carry JSON: the relayed API routes (passthrough bodies are the ChatGPT site's own). */
    private final Set<String> jsonPostPaths;
    private final HostPolicy hosts;

    public BrowserGuard(HostPolicy hosts, Collection<String> jsonPostPaths) {
        this.hosts = hosts;
        this.jsonPostPaths = Set.copyOf(jsonPostPaths);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = request.getRequestURI();
        String host = request.getHeader("Host");
        if (host == null && request.getProtocol() != null && request.getProtocol().startsWith("HTTP/2")) {
            // HTTP/2 carries the host as :authority, which the servlet API reports as the server name and port.
            String name = request.getServerName();
            host = (name.contains(":") && !name.startsWith("[") ? "[" + name + "]" : name) + ":"
                    + request.getServerPort();
        }
        if (host != null && !hosts.allows(hostName(host))) {
            refuse(response, path, 421, "misdirected request: this server does not answer to host "
                    + printable(hostName(host)) + " (add it to [server] allowed_hosts)");
            return;
        }
        if (guardedFromBrowsers(path) && crossSite(request, host)) {
            refuse(response, path, 403, "cross-site browser requests are refused");
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && ApiCors.covers(path)
                && hosts.corsOrigins().contains(origin.trim().toLowerCase(Locale.ROOT))) {
            if (ApiCors.isPreflight(request)) {
                ApiCors.answerPreflight(request, response, origin.trim());
                return;
            }
            // Set before anything answers, so refusals below and the relayed reply, streamed or not, carry it.
            ApiCors.allow(response, origin.trim());
        }
        if ("POST".equals(request.getMethod()) && jsonPostPaths.contains(path) && !isJson(request.getContentType())) {
            refuse(response, path, 415, "Content-Type must be application/json");
            return;
        }
        chain.doFilter(req, res);
    }

    private boolean guardedFromBrowsers(String path) {
        // Everything but the dashboard page, its assets and /healthz: following a link to those is fine.
        return !(path.equals("/") || path.startsWith("/assets/") || path.equals("/favicon.ico")
                || path.equals("/favicon.svg") || path.equals("/healthz"));
    }

    private boolean crossSite(HttpServletRequest request, String host) {
        String declared = request.getHeader("Origin");
        if (declared != null && hosts.trustedOrigins().contains(declared.trim().toLowerCase(Locale.ROOT))) {
            return false; // an origin the operator allowed (its requests are cross-site by nature)
        }
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null) {
            String s = fetchSite.trim().toLowerCase(Locale.ROOT);
            if (s.equals("cross-site") || s.equals("same-site")) {
                return true;
            }
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (hosts.trustedOrigins().contains(o)) {
            return false;
        }
        if (host == null) {
            return true;
        }
        // Same origin: the Origin names exactly the authority the request was sent to ("null" never matches).
        try {
            URI u = URI.create(o);
            return u.getHost() == null || !authority(u).equals(normalisedAuthority(host, u.getScheme()));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static String authority(URI u) {
        int port = u.getPort() >= 0 ? u.getPort() : defaultPort(u.getScheme());
        String h = u.getHost().toLowerCase(Locale.ROOT);
        return (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port;
    }

    private static String normalisedAuthority(String host, String scheme) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        String name = hostName(h); // a prefix of h
        String rest = h.substring(name.length());
        int port = rest.startsWith(":") ? parsePort(rest.substring(1)) : defaultPort(scheme);
        return (name.contains(":") && !name.startsWith("[") ? "[" + name + "]" : name) + ":" + port;
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private static String origin(URI u) {
        String scheme = u.getScheme() == null ? "http" : u.getScheme().toLowerCase(Locale.ROOT);
        String h = u.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + h + (u.getPort() >= 0 ? ":" + u.getPort() : "");
    }

    /** The host part of a Host header: {@code [::1]:8080} → {@code [::1]}, {@code a.b:80} → {@code a.b}. */
    static String hostName(String hostHeader) {
        String h = hostHeader.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
            return h.substring(0, colon);
        }
        return h;
    }

    /** Names compared without brackets or a trailing dot: {@code [::1]} is {@code ::1}, {@code localhost.} too. */
    private static String bare(String host) {
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean isIpLiteral(String host) {
        if (host.contains(":")) {
            return host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/")
                && mediaType.endsWith("+json"));
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) : s;
        StringBuilder out = new StringBuilder();
        cut.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }

    /** Admin paths answer in the admin shape; the Anthropic routes in Anthropic's; everything else in OpenAI's. */
    private static void refuse(HttpServletResponse response, String path, int status, String message)
            throws IOException {
        String body;
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            body = "{\"error\":" + com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(message)
                    + "}";
        } else {
            body = ApiErrors.body(path.contains("/messages") ? Api.MESSAGES : Api.CHAT_COMPLETIONS, status,
                    status == 415 ? "invalid_request_error" : "permission_error", message);
        }
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
