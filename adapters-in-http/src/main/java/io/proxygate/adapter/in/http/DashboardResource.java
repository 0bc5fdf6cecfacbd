package io.proxygate.adapter.in.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /}: the dashboard page, served from the jar. Its data comes from {@code /admin/*} once signed in; the
 * only server fact on the page itself is where the admin token can be read, for the sign-in hint.
 */
@Path("/")
public final class DashboardResource {
    static final String DEFAULT_TOKEN_HINT = "cat ~/.proxy-gate/.admin_token";
    private final String page;

    public DashboardResource() {
        this(DEFAULT_TOKEN_HINT);
    }

    /** @param tokenHint how to read the admin token on the server ({@code cat <file>}), shown at sign-in */
    public DashboardResource(String tokenHint) {
        String template = new String(AssetsResource.load("/dashboard/index.html"), StandardCharsets.UTF_8);
        String hint = tokenHint == null || tokenHint.isBlank() ? DEFAULT_TOKEN_HINT : tokenHint;
        page = template.replace("__TOKEN_HINT__", escape(hint));
    }

    @GET
    @Produces(MediaType.TEXT_HTML + ";charset=utf-8")
    public Response index() {
        return Response.ok(page).header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                        + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer").build();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
