package io.proxygate.adapter.in.http.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The dashboard's sign-in: {@code POST /admin/ui/login} with the raw token as the body (≤ 1 KiB) starts a
 * server-side session and sets its random id as the {@code proxygate_admin} cookie; {@code POST /admin/ui/logout}
 * ends the session and clears the cookie; {@code GET /admin/ui/session} tells whether the cookie is still good;
 * {@code GET /admin/ui/identity} proves to the CLI that this is its data directory's server. Not behind the admin
 * gate.
 */
@Path("/admin/ui")
public final class AdminLoginResource {
    private static final int MAX_TOKEN_BODY = 1024;

    private final AdminAuth auth;
    private final AdminSessions sessions;

    public AdminLoginResource(AdminAuth auth, AdminSessions sessions) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @POST
    @Path("login")
    public Response login(InputStream body, @Context HttpServletRequest request) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : body.readNBytes(MAX_TOKEN_BODY + 1);
        } catch (java.io.IOException e) {
            return AdminErrors.response(400, "cannot read the request body");
        }
        if (bytes.length > MAX_TOKEN_BODY) {
            return AdminErrors.response(400, "token longer than 1 KiB");
        }
        String token = new String(bytes, StandardCharsets.UTF_8).trim();
        AdminAuth.Verdict verdict = auth.check(address(request), token);
        return switch (verdict) {
            case AdminAuth.Verdict.Allowed a -> Response.noContent().header(HttpHeaders.SET_COOKIE,
                    AdminAuth.COOKIE + "=" + sessions.create() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                            + AdminSessions.LIFETIME.toSeconds()).build();
            case AdminAuth.Verdict.NotConfigured n -> AdminErrors.response(403, "admin token not configured");
            case AdminAuth.Verdict.Denied d -> AdminErrors.response(401, "invalid token");
            case AdminAuth.Verdict.Throttled t -> AdminErrors.throttled(t.retryAfter());
        };
    }

    /**
     * Whether the browser's cookie is still good, without a 401 (which browsers log as an error): the page asks this
     * first. A presented cookie is checked (and counted) like any token.
     */
    @GET
    @Path("session")
    @Produces(MediaType.APPLICATION_JSON)
    public Response session(@CookieParam(AdminAuth.COOKIE) String cookie, @Context HttpServletRequest request) {
        // A random session id: checking it needs no failure counting (nothing to guess).
        return Response.ok(Map.of("signed_in", sessions.valid(cookie))).build();
    }

    /**
     * {@code GET /admin/ui/identity?challenge=HEX}: {@code {"proof": HMAC}} (see {@link AdminAuth#identityProof}),
     * which the CLI checks before it trusts the listener with the admin token; 404 without a usable challenge.
     */
    @GET
    @Path("identity")
    @Produces(MediaType.APPLICATION_JSON)
    public Response identity(@jakarta.ws.rs.QueryParam("challenge") String challenge,
                             @Context HttpServletRequest request) {
        return auth.proveIdentity(challenge, request.getLocalPort())
                .map(proof -> Response.ok(Map.of("proof", proof)).build())
                .orElseGet(() -> AdminErrors.response(404, "no identity to prove"));
    }

    @POST
    @Path("logout")
    public Response logout(@CookieParam(AdminAuth.COOKIE) String cookie) {
        sessions.revoke(cookie);
        return Response.noContent().header(HttpHeaders.SET_COOKIE,
                AdminAuth.COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0").build();
    }

    private static String address(HttpServletRequest request) {
        try {
            return request == null || request.getRemoteAddr() == null ? "unknown" : request.getRemoteAddr();
        } catch (IllegalStateException e) {
            return "unknown";
        }
    }
}
