package io.proxygate.bootstrap.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Compares what a client sent ProxyGate with what ProxyGate sent the upstream. Every difference must be one of the
 * named, documented ones (README, "What reaches the upstream"); anything else is reported as unexplained.
 */
public final class Fidelity {
    /** The differences a relayed request may show, one README line each. */
    public enum Difference {
        /** The upstream's own URL: its host and the route's path there (the query string is kept). */
        UPSTREAM_URL,
        /** Host, Content-Length and hop-by-hop fields belong to each connection. */
        CONNECTION_FIELDS,
        /** The pooled credential replaces the client's key or token, in its place. */
        CREDENTIAL,
        /** {@code Accept-Encoding: identity}: the relay reads every reply for usage and does not decompress. */
        ACCEPT_ENCODING_IDENTITY,
        /** Claude OAuth: {@code oauth-2025-04-20} appended to the client's {@code anthropic-beta}. */
        OAUTH_BETA_APPENDED,
        /** {@code anthropic-version: 2023-06-01} when the client sent none. */
        ANTHROPIC_VERSION_ADDED,
        /** Codex backend JSON routes: {@code Accept: application/json} when the client sent none. */
        ACCEPT_ADDED,
        /** Codex backend: {@code Accept: text/event-stream}, it only streams. */
        CODEX_ACCEPT_EVENT_STREAM,
        /** Codex backend: store/stream forced, rejected parameters dropped, instructions for non-Codex clients. */
        CODEX_BODY_RULES,
        /** A compressed body sent decoded to an upstream that does not take the client's encoding. */
        BODY_DECODED,
        /** {@code ProxyGate/<version>} as User-Agent when the client sent none. */
        PROXYGATE_USER_AGENT
    }

    /** The outcome: named differences seen, and anything that is not one of them. */
    public record Result(Set<Difference> differences, List<String> unexplained) {
    }

    private static final Set<String> CONNECTION = Set.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive", "te", "trailer", "upgrade", "proxy-connection", "expect");
    private static final Set<String> CREDENTIALS = Set.of("authorization", "x-api-key", "x-proxygate-token",
            "chatgpt-account-id");
    private static final Set<String> REJECTED_BY_CODEX = Set.of("max_output_tokens", "max_tokens",
            "max_completion_tokens", "temperature", "top_p", "frequency_penalty", "presence_penalty",
            "prompt_cache_retention", "safety_identifier", "stream_options");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fidelity() {
    }

    public static Result compare(WireRequest client, WireRequest upstream) {
        Set<Difference> seen = EnumSet.noneOf(Difference.class);
        List<String> unexplained = new ArrayList<>();
        if (!client.method().equals(upstream.method())) {
            unexplained.add("method " + client.method() + " became " + upstream.method());
        }
        if (!client.path().equals(upstream.path())) {
            seen.add(Difference.UPSTREAM_URL);
        }
        if (!client.query().equals(upstream.query())) {
            unexplained.add("query '" + client.query() + "' became '" + upstream.query() + "'");
        }
        headers(client, upstream, seen, unexplained);
        body(client, upstream, seen, unexplained);
        return new Result(seen, unexplained);
    }

    private static void headers(WireRequest client, WireRequest upstream, Set<Difference> seen,
                                List<String> unexplained) {
        List<String[]> c = fields(client);
        List<String[]> u = fields(upstream);
        seen.add(Difference.CONNECTION_FIELDS);
        c.removeIf(f -> CONNECTION.contains(f[0]));
        u.removeIf(f -> CONNECTION.contains(f[0]));

        List<String> clientSecrets = c.stream().filter(f -> CREDENTIALS.contains(f[0]))
                .map(f -> f[1].replaceFirst("(?i)^bearer ", "")).toList();
        boolean credentials = c.removeIf(f -> CREDENTIALS.contains(f[0]));
        credentials |= u.removeIf(f -> CREDENTIALS.contains(f[0]));
        if (credentials) {
            seen.add(Difference.CREDENTIAL);
        }
        for (String[] f : fields(upstream)) {
            for (String secret : clientSecrets) {
                if (!secret.isBlank() && f[1].contains(secret)) {
                    unexplained.add("the client's credential reached the upstream in " + f[0]);
                }
            }
        }

        Optional<String> acceptEncoding = value(u, "accept-encoding");
        if (acceptEncoding.isPresent() && !acceptEncoding.get().equals("identity")) {
            unexplained.add("accept-encoding upstream is " + acceptEncoding.get());
        }
        if (!value(c, "accept-encoding").equals(acceptEncoding)) {
            seen.add(Difference.ACCEPT_ENCODING_IDENTITY);
        }
        c.removeIf(f -> f[0].equals("accept-encoding"));
        u.removeIf(f -> f[0].equals("accept-encoding"));

        reconcile(c, u, "anthropic-beta", (was, now) -> {
            String appended = was == null ? "oauth-2025-04-20" : was + ",oauth-2025-04-20";
            return now.equals(appended) ? Difference.OAUTH_BETA_APPENDED : null;
        }, seen, unexplained);
        reconcile(c, u, "anthropic-version", (was, now) ->
                was == null && now.equals("2023-06-01") ? Difference.ANTHROPIC_VERSION_ADDED : null, seen, unexplained);
        reconcile(c, u, "accept", (was, now) -> {
            if (upstream.path().contains("/codex/responses") && now.equals("text/event-stream")) {
                return Difference.CODEX_ACCEPT_EVENT_STREAM;
            }
            return was == null ? Difference.ACCEPT_ADDED : null;
        }, seen, unexplained);
        reconcile(c, u, "user-agent", (was, now) ->
                was == null && now.startsWith("ProxyGate/") ? Difference.PROXYGATE_USER_AGENT : null, seen, unexplained);
        reconcile(c, u, "content-encoding", (was, now) -> null, seen, unexplained);
        if (value(c, "content-encoding").isPresent() && value(u, "content-encoding").isEmpty()) {
            seen.add(Difference.BODY_DECODED);
            c.removeIf(f -> f[0].equals("content-encoding"));
        }

        List<String> left = c.stream().map(f -> f[0] + ": " + f[1]).toList();
        List<String> right = u.stream().map(f -> f[0] + ": " + f[1]).toList();
        if (!left.equals(right)) {
            unexplained.add("headers differ (in order)\n  client:   " + left + "\n  upstream: " + right);
        }
    }

    @FunctionalInterface
    private interface Rule {
        Difference explain(String was, String now);
    }

    /**
     * When the upstream's single field {@code name} differs from the client's and the rule names the change, the
     * upstream's field takes the client's value back (or goes, when the client had none), so that what remains
     * compares field for field and in order.
     */
    private static void reconcile(List<String[]> c, List<String[]> u, String name, Rule rule, Set<Difference> seen,
                                  List<String> unexplained) {
        Optional<String> was = value(c, name);
        Optional<String> now = value(u, name);
        if (was.equals(now) || now.isEmpty()) {
            return;
        }
        Difference d = rule.explain(was.orElse(null), now.get());
        if (d == null) {
            unexplained.add(name + " '" + was.orElse("(none)") + "' became '" + now.get() + "'");
            return;
        }
        seen.add(d);
        if (was.isEmpty()) {
            u.removeIf(f -> f[0].equals(name));
        } else {
            for (String[] f : u) {
                if (f[0].equals(name)) {
                    f[1] = was.get();
                }
            }
        }
    }

    private static void body(WireRequest client, WireRequest upstream, Set<Difference> seen,
                             List<String> unexplained) {
        Optional<String> clientEncoding = client.header("content-encoding").map(v -> v.trim().toLowerCase(Locale.ROOT));
        Optional<String> upstreamEncoding = upstream.header("content-encoding").map(v -> v.trim().toLowerCase(Locale.ROOT));
        if (clientEncoding.isPresent() && clientEncoding.equals(upstreamEncoding)) {
            if (!Arrays.equals(client.body(), upstream.body())) {
                unexplained.add("the encoded body's bytes changed");
            }
            return;
        }
        byte[] sent = decode(client.body(), clientEncoding.orElse(""));
        if (Arrays.equals(sent, upstream.body())) {
            return;
        }
        if (upstream.path().contains("/codex/responses")) {
            try {
                JsonNode expected = codexRules(JSON.readTree(sent), upstream.path().endsWith("/compact"),
                        !isCodex(client));
                if (expected.equals(JSON.readTree(upstream.body()))) {
                    seen.add(Difference.CODEX_BODY_RULES);
                    return;
                }
            } catch (IOException e) {
                // reported below
            }
        }
        unexplained.add("body differs\n  client:   " + new String(sent, java.nio.charset.StandardCharsets.UTF_8)
                + "\n  upstream: " + upstream.bodyText());
    }

    private static JsonNode codexRules(JsonNode body, boolean compact, boolean addInstructions) {
        ObjectNode o = ((ObjectNode) body).deepCopy();
        if (compact) {
            o.remove("store");
            o.remove("stream");
        } else {
            o.put("store", false);
            o.put("stream", true);
        }
        REJECTED_BY_CODEX.forEach(o::remove);
        if (o.path("input").isTextual()) {
            ArrayNode input = JSON.createArrayNode();
            input.addObject().put("type", "message").put("role", "user").put("content", o.get("input").asText());
            o.set("input", input);
        }
        if (o.has("instructions") && o.get("instructions").isNull()) {
            o.put("instructions", "");
        } else if (!o.has("instructions") && addInstructions) {
            o.put("instructions", "");
        }
        return o;
    }

    private static boolean isCodex(WireRequest client) {
        return client.header("originator").map(v -> v.startsWith("codex_")).orElse(false)
                || client.header("user-agent").map(v -> v.startsWith("codex_")).orElse(false);
    }

    static byte[] decode(byte[] body, String encoding) {
        if (encoding.isEmpty() || encoding.equals("identity")) {
            return body;
        }
        try (InputStream in = switch (encoding) {
            case "zstd" -> new ZstdInputStream(new ByteArrayInputStream(body));
            case "gzip" -> new GZIPInputStream(new ByteArrayInputStream(body));
            default -> throw new IllegalArgumentException("no decoder for " + encoding);
        }) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String[]> fields(WireRequest r) {
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<String, String> h : r.headers()) {
            out.add(new String[] {h.getKey().toLowerCase(Locale.ROOT), h.getValue()});
        }
        return out;
    }

    private static Optional<String> value(List<String[]> fields, String name) {
        return fields.stream().filter(f -> f[0].equals(name)).map(f -> f[1]).findFirst();
    }
}
