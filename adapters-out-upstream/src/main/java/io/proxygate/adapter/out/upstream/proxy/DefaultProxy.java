package io.proxygate.adapter.out.upstream.proxy;

import io.proxygate.domain.credential.OutboundProxy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy for credentials that name none: {@code [upstream] proxy} when set, else the environment as curl reads
 * it ({@code https_proxy}/{@code HTTPS_PROXY} for https targets, {@code http_proxy}/{@code HTTP_PROXY} for http
 * ones, lowercase first; {@code no_proxy}/{@code NO_PROXY} lists hosts, domain suffixes or {@code *} that go
 * direct). The configured value applies to every target; only the environment's is subject to {@code NO_PROXY}.
 */
public final class DefaultProxy {
    private final Optional<OutboundProxy> configured;
    private final Optional<OutboundProxy> https;
    private final Optional<OutboundProxy> http;
    private final List<String> noProxy;

    private DefaultProxy(Optional<OutboundProxy> configured, Optional<OutboundProxy> https,
                         Optional<OutboundProxy> http, List<String> noProxy) {
        this.configured = configured;
        this.https = https;
        this.http = http;
        this.noProxy = noProxy;
    }

    public static final DefaultProxy NONE = new DefaultProxy(Optional.empty(), Optional.empty(), Optional.empty(),
            List.of());

    /**
     * @param configured {@code [upstream] proxy} (blank: unset)
     * @param env        the process environment
     * @throws IllegalArgumentException when a value does not parse (the message never contains a password)
     */
    public static DefaultProxy of(String configured, Map<String, String> env) {
        if (configured != null && !configured.isBlank()) {
            return new DefaultProxy(Optional.of(OutboundProxy.parse(configured)), Optional.empty(), Optional.empty(),
                    List.of());
        }
        Optional<OutboundProxy> https = env(env, "https_proxy", "HTTPS_PROXY");
        Optional<OutboundProxy> http = env(env, "http_proxy", "HTTP_PROXY");
        List<String> noProxy = new ArrayList<>();
        String list = first(env, "no_proxy", "NO_PROXY");
        if (list != null) {
            for (String part : list.split(",")) {
                String p = part.strip().toLowerCase(Locale.ROOT);
                if (!p.isEmpty()) {
                    noProxy.add(p.startsWith("*.") ? p.substring(1) : p);
                }
            }
        }
        return new DefaultProxy(Optional.empty(), https, http, List.copyOf(noProxy));
    }

    private static Optional<OutboundProxy> env(Map<String, String> env, String lower, String upper) {
        String value = first(env, lower, upper);
        if (value == null) {
            return Optional.empty();
        }
        try {
            // Environment proxies are often written without a scheme, as curl allows.
            return Optional.of(OutboundProxy.parse(value.contains("://") ? value : "http://" + value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(upper + ": " + e.getMessage());
        }
    }

    private static String first(Map<String, String> env, String lower, String upper) {
        String v = env.get(lower);
        if (v == null || v.isBlank()) {
            v = env.get(upper);
        }
        return v == null || v.isBlank() ? null : v;
    }

    /** The proxy for a call to {@code target} made for a credential without its own. */
    public OutboundProxy forTarget(URI target) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Optional<OutboundProxy> env = "https".equalsIgnoreCase(target.getScheme()) ? https : http;
        if (env.isEmpty() || bypassed(target.getHost())) {
            return OutboundProxy.DIRECT;
        }
        return env.get();
    }

    private boolean bypassed(String host) {
        if (host == null) {
            return true;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            String e = entry.startsWith(".") ? entry.substring(1) : entry;
            if (h.equals(e) || h.endsWith("." + e)) {
                return true;
            }
        }
        return false;
    }

    /** For logs and the admin view: scheme, host and port only. */
    public String describe() {
        if (configured.isPresent()) {
            return configured.get().display() + " (config)";
        }
        if (https.isEmpty() && http.isEmpty()) {
            return "direct";
        }
        return "environment: https " + https.map(OutboundProxy::display).orElse("direct") + ", http "
                + http.map(OutboundProxy::display).orElse("direct")
                + (noProxy.isEmpty() ? "" : ", no_proxy " + String.join(",", noProxy));
    }
}
