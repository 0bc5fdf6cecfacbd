package io.proxygate.adapter.out.upstream;

import io.proxygate.application.http.Headers;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The client's headers as they go upstream: every field in the client's order, names and values as sent, minus the
 * fields that must not pass (a deny-list, so headers a client adds tomorrow reach the upstream without a change
 * here), with the edits an upstream needs made in place.
 *
 * <p>What never passes: hop-by-hop fields (RFC 9110 7.6.1, plus any the client's {@code Connection} names),
 * {@code Host} and {@code Content-Length} (the HTTP client sets both for the upstream), every field that carries a
 * credential (the client's key or proxy token, ProxyGate's admin token, cookies, a ChatGPT account id: the pooled
 * credential replaces them), and what a reverse proxy in front of ProxyGate adds about the caller's network.
 */
final class ForwardedHeaders {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "trailers", "transfer-encoding",
            "upgrade", "expect", "http2-settings");
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length");
    private static final Set<String> CREDENTIALS = Set.of(
            "authorization", "x-api-key", "api-key", "x-goog-api-key", "cookie", "x-proxygate-token",
            "x-admin-token", "chatgpt-account-id");
    private static final Set<String> CALLER_NETWORK = Set.of(
            "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
            "x-real-ip");
    private static final List<String> DENIED_PREFIXES = List.of("proxy-", "x-proxygate-");

    private final List<Header> fields;
    /** Where the client's first credential field stood: the pooled credential goes there. */
    private final int credentialAt;

    private ForwardedHeaders(List<Header> fields, int credentialAt) {
        this.fields = fields;
        this.credentialAt = credentialAt;
    }

    static ForwardedHeaders of(Headers client) {
        Set<String> connectionListed = new HashSet<>();
        for (String value : client.all("connection")) {
            if (value == null) {
                continue;
            }
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    connectionListed.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        List<Header> kept = new ArrayList<>();
        int credentialAt = -1;
        for (Map.Entry<String, String> field : client.fields()) {
            if (field.getValue() == null) {
                continue;
            }
            String name = Headers.normalise(field.getKey());
            if (CREDENTIALS.contains(name)) {
                if (credentialAt < 0) {
                    credentialAt = kept.size();
                }
                continue;
            }
            if (!denied(name) && !connectionListed.contains(name)) {
                kept.add(new BasicHeader(field.getKey(), field.getValue()));
            }
        }
        return new ForwardedHeaders(kept, credentialAt);
    }

    /** Whether a client field never reaches an upstream, whatever the route (Connection-listed ones aside). */
    private static boolean denied(String lowerCaseName) {
        if (HOP_BY_HOP.contains(lowerCaseName) || SET_BY_CLIENT.contains(lowerCaseName)
                || CREDENTIALS.contains(lowerCaseName) || CALLER_NETWORK.contains(lowerCaseName)) {
            return true;
        }
        for (String prefix : DENIED_PREFIXES) {
            if (lowerCaseName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Puts the pooled credential where the client had its own, or first when it sent none. */
    ForwardedHeaders credential(List<Header> credential) {
        fields.addAll(credentialAt < 0 ? 0 : credentialAt, credential);
        return this;
    }

    /**
     * {@code name} takes {@code value}: the first field of that name keeps its place (and the client's spelling of
     * the name; untouched when it already has the value), later ones go; appended when the client sent none.
     */
    ForwardedHeaders set(String name, String value) {
        int at = indexOf(name);
        if (at < 0) {
            fields.add(new BasicHeader(name, value));
            return this;
        }
        if (!fields.get(at).getValue().equals(value)) {
            fields.set(at, new BasicHeader(fields.get(at).getName(), value));
        }
        for (int i = fields.size() - 1; i > at; i--) {
            if (fields.get(i).getName().equalsIgnoreCase(name)) {
                fields.remove(i);
            }
        }
        return this;
    }

    /** Appended only when the client sent no field of that name. */
    ForwardedHeaders setIfAbsent(String name, String value) {
        if (indexOf(name) < 0) {
            fields.add(new BasicHeader(name, value));
        }
        return this;
    }

    ForwardedHeaders remove(String name) {
        fields.removeIf(h -> h.getName().equalsIgnoreCase(name));
        return this;
    }

    ForwardedHeaders removePrefix(String lowerCasePrefix) {
        fields.removeIf(h -> h.getName().toLowerCase(Locale.ROOT).startsWith(lowerCasePrefix));
        return this;
    }

    /**
     * Adds {@code token} to a comma list header unless one of its fields already lists it: appended to the last
     * field of that name (so the client's own order comes first), or as a new field when there is none.
     */
    ForwardedHeaders appendToken(String name, String token) {
        int last = -1;
        for (int i = 0; i < fields.size(); i++) {
            Header h = fields.get(i);
            if (!h.getName().equalsIgnoreCase(name)) {
                continue;
            }
            last = i;
            for (String listed : h.getValue().split(",")) {
                if (listed.trim().equals(token)) {
                    return this;
                }
            }
        }
        if (last < 0) {
            fields.add(new BasicHeader(name, token));
            return this;
        }
        Header h = fields.get(last);
        String value = h.getValue().strip();
        while (value.endsWith(",")) {
            value = value.substring(0, value.length() - 1).strip();
        }
        fields.set(last, new BasicHeader(h.getName(), value.isEmpty() ? token : value + "," + token));
        return this;
    }

    List<Header> list() {
        return List.copyOf(fields);
    }

    private int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).getName().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}
