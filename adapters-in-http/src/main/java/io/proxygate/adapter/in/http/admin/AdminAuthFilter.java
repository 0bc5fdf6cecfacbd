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
 * Guards every path under {@code /admin/} (those of other resources and unknown ones too), except the login and
 * logout calls. Runs before matching so that nothing under {@code /admin} is reachable without the admin token.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AdminAuthFilter implements ContainerRequestFilter {
    private static final Set<String> OPEN = Set.of("admin/ui/login", "admin/ui/logout", "admin/ui/session");

    private final AdminAuth auth;

    @Context
    private HttpServletRequest servletRequest;

    public AdminAuthFilter(AdminAuth auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = normalized(request.getUriInfo().getPathSegments(true));
        if (!(path.equals("admin") || path.startsWith("admin/")) || OPEN.contains(path)) {
            return;
        }
        Cookie cookie = request.getCookies().get(AdminAuth.COOKIE);
        AdminAuth.Verdict verdict = auth.check(clientAddress(), request.getHeaderString(AdminAuth.HEADER),
                bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)), cookie == null ? null : cookie.getValue());
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
