package io.proxygate.adapter.in.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /}: the dashboard page, served from the jar. Its data comes from {@code /admin/*} once signed in; the
 * only server fact on the page itself is where the admin token can be read, for the sign-in hint. The page is
 * served without a token, so the hint names the token's file relative to its folder, never by an absolute path:
 * that would tell anyone who can reach the port the server's layout.
 */
@Path("/")
public final class DashboardResource {
    static final String DEFAULT_TOKEN_HINT = "cat ~/.proxy-gate/.admin_token";
    static final String DEFAULT_TOKEN_WHERE = "on the server";
    private final String page;

    public DashboardResource() {
        this(DEFAULT_TOKEN_HINT, DEFAULT_TOKEN_WHERE);
    }

    /**
     * @param tokenHint  how to read the admin token ({@code cat .admin_token}, {@code echo $VAR}), shown at sign-in
     * @param tokenWhere where to run it ("in the data folder ([paths] data_dir) on the server")
     */
    public DashboardResource(String tokenHint, String tokenWhere) {
        String template = new String(AssetsResource.load("/dashboard/index.html"), StandardCharsets.UTF_8);
        boolean known = tokenHint != null && !tokenHint.isBlank();
        String hint = known ? tokenHint : DEFAULT_TOKEN_HINT;
        String where = known && tokenWhere != null && !tokenWhere.isBlank() ? tokenWhere : DEFAULT_TOKEN_WHERE;
        page = template.replace("__TOKEN_HINT__", escape(hint)).replace("__TOKEN_WHERE__", escape(where));
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
