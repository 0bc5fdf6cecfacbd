package io.proxygate.adapter.in.http.admin;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.PathSegment;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Guards every path under {@code /admin/} (those of other resources and unknown ones too), except the sign-in,
 * session, identity and logout calls. Runs before matching so that nothing under {@code /admin} is reachable without
 * the admin token or a live dashboard session. A session cookie rides along with any request the browser makes, so
 * a call made with the cookie alone that changes state must also prove it comes from our own page: the
 * {@value #CSRF_HEADER} header (which no other site can make a browser send without our CORS consent) or a
 * same-origin {@code Origin}.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AdminAuthFilter implements ContainerRequestFilter {
    /** Sent by the dashboard on every call. */
    public static final String CSRF_HEADER = "X-ProxyGate-Admin";
    private static final Set<String> OPEN = Set.of("admin/ui/login", "admin/ui/logout", "admin/ui/session",
            "admin/ui/identity");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final AdminAuth auth;
    private final AdminSessions sessions;

    @Context
    private HttpServletRequest servletRequest;

    public AdminAuthFilter(AdminAuth auth, AdminSessions sessions) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = normalized(request.getUriInfo().getPathSegments(true));
        if (!(path.equals("admin") || path.startsWith("admin/")) || OPEN.contains(path)) {
            return;
        }
        String header = request.getHeaderString(AdminAuth.HEADER);
        String bearer = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        Cookie cookie = request.getCookies().get(AdminAuth.COOKIE);
        boolean tokenPresented = (header != null && !header.isBlank()) || (bearer != null && !bearer.isBlank());
        if (!tokenPresented && cookie != null && !cookie.getValue().isBlank()) {
            if (!sessions.valid(cookie.getValue())) {
                drainSmallBody(request);
                request.abortWith(AdminErrors.response(401, "session expired; sign in again"));
            } else if (!SAFE_METHODS.contains(request.getMethod()) && !fromOwnPage(request)) {
                drainSmallBody(request);
                request.abortWith(AdminErrors.response(403, "a cookie-authenticated change needs the "
                        + CSRF_HEADER + " header or a same-origin Origin"));
            }
            return;
        }
        AdminAuth.Verdict verdict = auth.check(clientAddress(), header, bearer);
        switch (verdict) {
            case AdminAuth.Verdict.Allowed allowed -> {
            }
            case AdminAuth.Verdict.NotConfigured n ->
                    request.abortWith(AdminErrors.response(403, "admin token not configured"));
            case AdminAuth.Verdict.Denied d -> request.abortWith(AdminErrors.response(401, "unauthorized"));
            case AdminAuth.Verdict.Throttled t -> request.abortWith(AdminErrors.throttled(t.retryAfter()));
        }
    }

    /**
     * Reads and drops a refused request's body when it is small, so the connection stays usable for the page's next
     * call (an unread body makes the server close it).
     */
    private static void drainSmallBody(ContainerRequestContext request) {
        try (java.io.InputStream in = request.getEntityStream()) {
            if (in != null) {
                in.readNBytes(64 * 1024);
            }
        } catch (java.io.IOException | IllegalStateException e) {
            // nothing to drain, or the client went away: the refusal stands either way
        }
    }

    /** The custom header, or an {@code Origin} naming exactly the host the request was sent to. */
    static boolean fromOwnPage(ContainerRequestContext request) {
        String marker = request.getHeaderString(CSRF_HEADER);
        if (marker != null && !marker.isBlank()) {
            return true;
        }
        String origin = request.getHeaderString("Origin");
        String host = request.getHeaderString(HttpHeaders.HOST);
        if (origin == null || host == null) {
            return false;
        }
        String o = origin.trim().toLowerCase(java.util.Locale.ROOT);
        String h = host.trim().toLowerCase(java.util.Locale.ROOT);
        return o.equals("http://" + h) || o.equals("https://" + h);
    }

    /**
     * The decoded path without matrix parameters or empty segments, lower case: {@code //Admin;x=1/status} and
     * {@code /admin%2Fstatus} are gated like {@code /admin/status}.
     */
    static String normalized(List<PathSegment> segments) {
        return segments.stream().map(PathSegment::getPath).filter(s -> s != null && !s.isEmpty())
                .flatMap(s -> java.util.Arrays.stream(s.split("/"))).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining("/"));
    }

    private String clientAddress() {
        try {
            return servletRequest == null ? "unknown" : Objects.requireNonNullElse(servletRequest.getRemoteAddr(),
                    "unknown");
        } catch (IllegalStateException e) {
            return "unknown"; // no servlet request (in-memory test container)
        }
    }

    static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        return a.regionMatches(true, 0, "Bearer ", 0, 7) ? a.substring(7).trim() : null;
    }
}
