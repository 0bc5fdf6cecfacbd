package io.proxygate.domain.credential;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which API-key base URLs the relay may send a key and a prompt to. The relay appends the API's path to the base
 * URL, so the URL must be a plain origin-plus-path: http(s) only, no user info (credentials in a URL end up in logs),
 * no query or fragment (a trailing {@code #} or {@code ?} would swallow the appended path and turn the key's calls
 * into requests to an arbitrary URL). Plain http is for loopback only: anywhere else the key would cross the network
 * in clear text.
 */
public final class BaseUrls {
    private BaseUrls() {
    }

    /** Why {@code url} is not an acceptable base URL, or empty when it is. */
    public static Optional<String> problem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("base_url is empty");
        }
        String u = url.trim();
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '\\') {
                return Optional.of("base_url must not contain spaces, control characters or backslashes");
            }
        }
        if (u.indexOf('#') >= 0) {
            return Optional.of("base_url must not have a fragment ('#')");
        }
        if (u.indexOf('?') >= 0) {
            return Optional.of("base_url must not have a query ('?')");
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            return Optional.of("base_url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("base_url must be an http(s) URL");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            return Optional.of("base_url must not contain user info ('user@')");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("base_url must name a host");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            return Optional.of("base_url must use https unless its host is loopback (localhost, 127.0.0.0/8, [::1])");
        }
        return Optional.empty();
    }

    /** Loopback by name or literal address only: resolving a name here would let DNS decide. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("[::1]") || h.equals("::1")) {
            return true;
        }
        String[] octets = h.split("\\.", -1);
        if (octets.length != 4 || !octets[0].equals("127")) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit) || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }
}
