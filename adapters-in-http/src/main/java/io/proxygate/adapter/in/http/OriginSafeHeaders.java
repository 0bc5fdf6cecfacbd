package io.proxygate.adapter.in.http;

import java.util.Locale;
import java.util.Set;

/**
 * What an upstream reply may say on our origin. The dashboard and its admin cookie share the origin of the relayed
 * routes, so an upstream (or whoever answers for one) must not be able to widen that origin's CORS policy, set or
 * clear its cookies, register a service worker, or have a browser render its markup as a page of ours. Every relayed
 * reply therefore loses those headers, carries {@code nosniff} and a sandboxing CSP, and markup types (HTML, XHTML,
 * SVG, XML) leave as {@code text/plain}: API clients read the bytes unchanged, browsers show them as text.
 */
final class OriginSafeHeaders {
    static final String NOSNIFF = "nosniff";
    /** Even if a browser renders a relayed reply, it runs in an opaque origin with nothing allowed to load. */
    static final String SANDBOX_CSP = "sandbox; default-src 'none'";
    static final String PLAIN_TEXT = "text/plain; charset=utf-8";

    private static final Set<String> DROPPED = Set.of(
            "set-cookie", "set-cookie2", "clear-site-data", "service-worker-allowed", "timing-allow-origin",
            "content-security-policy", "content-security-policy-report-only", "x-content-type-options",
            "x-frame-options", "refresh");
    private static final Set<String> MARKUP = Set.of(
            "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml", "text/xsl",
            "application/xslt+xml", "multipart/x-mixed-replace");

    private OriginSafeHeaders() {
    }

    /** Whether an upstream header may be relayed as it is. */
    static boolean relayed(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !DROPPED.contains(n) && !n.startsWith("access-control-");
    }

    /** The content type to relay: markup becomes plain text, anything else is kept. */
    static String contentType(String upstream) {
        if (upstream == null) {
            return null;
        }
        int semicolon = upstream.indexOf(';');
        String mediaType = (semicolon < 0 ? upstream : upstream.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        return MARKUP.contains(mediaType) || mediaType.endsWith("+xml") ? PLAIN_TEXT : upstream;
    }
}
