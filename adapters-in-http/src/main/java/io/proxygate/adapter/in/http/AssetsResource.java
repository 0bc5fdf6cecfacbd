package io.proxygate.adapter.in.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /assets/{name}}: the dashboard's script modules, styles and icon, from the jar (the chart library from
 * its WebJar). Only the listed files exist; each is loaded when first asked for (not at start, where reading and
 * hashing them all took 20 ms before the server could answer) and served with an ETag, revalidated on every load so
 * an upgrade is never hidden by a cache.
 */
@Path("/assets")
public final class AssetsResource {
    static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

    private record Asset(byte[] bytes, String type, EntityTag tag) {
    }

    /** The dashboard's ES modules: {@code app.js} imports the others by relative URL, so they sit beside it. */
    static final List<String> MODULES = List.of("app.js", "api.js", "state.js", "dom.js", "format.js",
            "charts.js", "events.js", "credentials.js", "view-summary.js", "view-accounts.js", "view-keys.js",
            "view-clients.js", "view-fallback.js", "view-live.js", "view-usage.js", "view-routing.js",
            "view-health.js");

    private static final Map<String, String[]> FILES = files();

    private static Map<String, String[]> files() {
        Map<String, String[]> files = new java.util.HashMap<>(Map.of(
                "app.css", new String[]{"/dashboard/app.css", "text/css; charset=utf-8"},
                "favicon.svg", new String[]{"/dashboard/favicon.svg", "image/svg+xml"},
                "uplot.js", new String[]{UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
                "uplot.css", new String[]{UPLOT + "uPlot.min.css", "text/css; charset=utf-8"}));
        // Browsers refuse a module script served with any type but a JavaScript one (nosniff is always sent).
        MODULES.forEach(m -> files.put(m, new String[]{"/dashboard/" + m, "text/javascript; charset=utf-8"}));
        return Map.copyOf(files);
    }

    /** Every name served. */
    static java.util.Set<String> names() {
        return FILES.keySet();
    }

    private final Map<String, Asset> loaded = new java.util.concurrent.ConcurrentHashMap<>();

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name, @HeaderParam("If-None-Match") String ifNoneMatch) {
        String[] spec = FILES.get(name);
        if (spec == null) {
            return Response.status(404).type("text/plain").entity("not found\n").build();
        }
        Asset asset = loaded.computeIfAbsent(name, n -> {
            byte[] bytes = load(spec[0]);
            return new Asset(bytes, spec[1], new EntityTag(digest(bytes)));
        });
        if (ifNoneMatch != null && ifNoneMatch.contains(asset.tag().getValue())) {
            return Response.notModified(asset.tag()).header("Cache-Control", "no-cache").build();
        }
        return Response.ok(asset.bytes(), asset.type()).tag(asset.tag()).header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    static byte[] load(String resource) {
        try (InputStream in = AssetsResource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
