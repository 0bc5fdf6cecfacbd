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
 * served without a token, so it names the file relative to the folder it is in (the data folder, or the config
 * file's), never by its absolute path: that would tell anyone who can reach the port the server's layout.
 */
@Path("/")
public final class DashboardResource {
    static final String DEFAULT_TOKEN_FILE = "~/.proxy-gate/.admin_token";
    static final String IN_DATA_DIR = "in the data folder ([paths] data_dir) on the server";
    static final String BESIDE_CONFIG = "beside the config file on the server";
    private final String page;

    public DashboardResource() {
        this(null, null);
    }

    /**
     * @param tokenFile the admin token file, shown in the sign-in hint as {@code cat <file>} relative to its folder
     * @param dataDir   the data folder, against which the file is named when it lies inside
     */
    public DashboardResource(String tokenFile, String dataDir) {
        String template = new String(AssetsResource.load("/dashboard/index.html"), StandardCharsets.UTF_8);
        String[] hint = hint(tokenFile, dataDir);
        page = template.replace("__TOKEN_FILE__", escape(hint[0])).replace("__TOKEN_WHERE__", escape(hint[1]));
    }

    /** The file as the hint names it, and where it is: relative to the data folder, else by its name alone. */
    static String[] hint(String tokenFile, String dataDir) {
        if (tokenFile == null || tokenFile.isBlank()) {
            return new String[] {DEFAULT_TOKEN_FILE, "on the server"};
        }
        try {
            java.nio.file.Path file = java.nio.file.Path.of(tokenFile).normalize();
            if (dataDir != null && !dataDir.isBlank()) {
                java.nio.file.Path data = java.nio.file.Path.of(dataDir).normalize();
                if (file.startsWith(data) && !file.equals(data)) {
                    return new String[] {data.relativize(file).toString(), IN_DATA_DIR};
                }
            }
            java.nio.file.Path name = file.getFileName();
            return new String[] {name == null ? DEFAULT_TOKEN_FILE : name.toString(), BESIDE_CONFIG};
        } catch (java.nio.file.InvalidPathException e) {
            return new String[] {DEFAULT_TOKEN_FILE, "on the server"};
        }
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
