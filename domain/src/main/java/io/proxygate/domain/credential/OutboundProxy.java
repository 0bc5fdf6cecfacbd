package io.proxygate.domain.credential;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a credential's outbound calls leave from: straight from this host ({@link #DIRECT}), or through an HTTP
 * (CONNECT) or SOCKS5 proxy, optionally with a user name and password. The password is a {@link Secret}: {@link
 * #toString()} and {@link #display()} show the scheme, host and port only, so the value is safe for logs and UIs.
 */
public final class OutboundProxy {
    public enum Scheme { DIRECT, HTTP, SOCKS5 }

    public static final OutboundProxy DIRECT = new OutboundProxy(Scheme.DIRECT, "", 0, Optional.empty(),
            Optional.empty());

    private final Scheme scheme;
    private final String host;
    private final int port;
    private final Optional<String> username;
    private final Optional<Secret> password;

    private OutboundProxy(Scheme scheme, String host, int port, Optional<String> username, Optional<Secret> password) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
    }

    public static OutboundProxy http(String host, int port, Optional<String> username, Optional<Secret> password) {
        return new OutboundProxy(Scheme.HTTP, requireHost(host), requirePort(port), username, password);
    }

    public static OutboundProxy socks5(String host, int port, Optional<String> username, Optional<Secret> password) {
        return new OutboundProxy(Scheme.SOCKS5, requireHost(host), requirePort(port), username, password);
    }

    /**
     * Parses {@code direct}, {@code http://[user:pass@]host[:port]} or {@code socks5://[user:pass@]host[:port]}
     * ({@code socks5h} is accepted as a synonym: names are always resolved by the proxy's side of the tunnel).
     *
     * @throws IllegalArgumentException naming the problem, never echoing the password
     */
    public static OutboundProxy parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("proxy is blank");
        }
        String trimmed = text.strip();
        if (trimmed.equalsIgnoreCase("direct") || trimmed.equalsIgnoreCase("none")) {
            return DIRECT;
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("proxy is not a URL (expected http://host:port, socks5://host:port"
                    + " or direct)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Scheme kind = switch (scheme) {
            case "http" -> Scheme.HTTP;
            case "socks5", "socks5h" -> Scheme.SOCKS5;
            case "https" -> throw new IllegalArgumentException(
                    "https:// proxies are not supported; use http:// (the tunnel to the upstream is TLS anyway)");
            default -> throw new IllegalArgumentException("proxy scheme must be http, socks5 or direct, not \""
                    + (scheme.length() > 12 ? scheme.substring(0, 12) : scheme) + "\"");
        };
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("proxy URL has no host");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new IllegalArgumentException("proxy URL must not have a path");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : kind == Scheme.HTTP ? 80 : 1080;
        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            String rawUser = colon < 0 ? info : info.substring(0, colon);
            user = Optional.of(decode(rawUser)).filter(u -> !u.isEmpty());
            if (colon >= 0 && colon + 1 < info.length()) {
                password = Optional.of(Secret.of(decode(info.substring(colon + 1))));
            }
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new OutboundProxy(kind, host, port, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String requireHost(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("proxy host is blank");
        }
        return host;
    }

    private static int requirePort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port out of range");
        }
        return port;
    }

    public Scheme scheme() {
        return scheme;
    }

    public boolean isDirect() {
        return scheme == Scheme.DIRECT;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Optional<String> username() {
        return username;
    }

    public Optional<Secret> password() {
        return password;
    }

    /** {@code direct}, {@code http://host:port} or {@code socks5://host:port}: never the user name or password. */
    public String display() {
        if (scheme == Scheme.DIRECT) {
            return "direct";
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme.name().toLowerCase(Locale.ROOT) + "://" + h + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboundProxy p && scheme == p.scheme && port == p.port && host.equals(p.host)
                && username.equals(p.username)
                && password.map(Secret::reveal).equals(p.password.map(Secret::reveal));
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, host, port, username, password.map(Secret::fingerprint));
    }

    @Override
    public String toString() {
        return display();
    }
}
