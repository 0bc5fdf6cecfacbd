package io.proxygate.bootstrap.logging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Pattern;

/**
 * Rewrites every log line before it is written, so that no logger at any level (ours, Jetty's HTTP parser, HttpClient's
 * header and wire loggers, whatever an operator turns up to TRACE) prints a credential. It masks values that follow
 * the header names that carry secrets ({@code Authorization}, {@code x-api-key}, cookies, our token headers), JSON
 * and form fields named like tokens, {@code Bearer} values, strings shaped like API keys and JWTs, and the literal
 * secrets the server knows (its proxy and admin tokens, the pool's tokens). Every pattern is possessive: masking
 * costs time linear in the line, whatever it holds.
 */
public final class SecretMasking {
    static final String MASK = "***";
    private static final int MIN_LITERAL = 8;

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final String FIELD_END = "\\r\\n\"'\\\\\\[\\]{}";
    private static final List<Rule> RULES = List.of(
            // Jetty's buffer dumps ({<<<first bytes...last bytes>>>more}): raw request bytes, cut anywhere, so a
            // token may be split; the bytes are dropped to the end of the line.
            new Rule(Pattern.compile("<<<[^\\r\\n]*+"), "<<<" + MASK),
            // Header-like "name: value" / "name=value": everything up to the end of the field.
            new Rule(Pattern.compile("(?i)(authorization|x-api-key|api-key|x-goog-api-key|x-admin-token"
                    + "|x-proxygate-token|cookie|proxygate_admin)(\\s*+[\"']?\\s*+[:=]\\s*+[\"']?\\s*+)[^"
                    + FIELD_END + "]++"), "$1$2" + MASK),
            // JSON fields that hold secrets.
            new Rule(Pattern.compile("(?i)(\"(?:access_token|refresh_token|id_token|api_key|apikey|client_secret"
                    + "|password|secret|token|proxy_token|admin_token)\"\\s*+:\\s*+\")[^\"\\\\]*+"), "$1" + MASK),
            // Form and query fields that hold secrets.
            new Rule(Pattern.compile("(?i)((?:access_token|refresh_token|id_token|code_verifier|client_secret"
                    + "|[?&]code)=)[^&\\s\"'\\\\\\[\\]]++"), "$1" + MASK),
            new Rule(Pattern.compile("(?i)(bearer\\s++)[^\\s\"'\\\\\\[\\]{},;]++"), "$1" + MASK),
            // Shapes of keys and tokens wherever they appear.
            new Rule(Pattern.compile("(sk-)[A-Za-z0-9_\\-]{6,}+"), "$1" + MASK),
            new Rule(Pattern.compile("(pgk_)[A-Za-z0-9_\\-]++"), "$1" + MASK),
            new Rule(Pattern.compile("(pg-)[0-9a-f]{64}+"), "$1" + MASK),
            new Rule(Pattern.compile("(eyJ)[A-Za-z0-9_\\-]{8,}+\\.[A-Za-z0-9_\\-]++(?:\\.[A-Za-z0-9_\\-]*+)?"),
                    "$1" + MASK),
            new Rule(Pattern.compile("(ya29\\.)[A-Za-z0-9_\\-]++"), "$1" + MASK),
            new Rule(Pattern.compile("(AIza)[0-9A-Za-z_\\-]{20,}+"), "$1" + MASK));

    private static final Set<String> CONFIGURED = new CopyOnWriteArraySet<>();
    /**
     * The pool's secrets by their first {@value #MIN_LITERAL} characters, longest first within a prefix. Looking up
     * the window at each position of a line costs time linear in the line; testing every secret with
     * {@code contains} cost time linear in the pool (17,000 secrets at 10,000 credentials: about a millisecond a
     * line, i.e. a core's worth at 1,000 logged requests a second).
     */
    private static volatile Map<String, List<String>> poolByPrefix = Map.of();

    private SecretMasking() {
    }

    /**
     * Masks a configured secret (the proxy or admin token) verbatim wherever it appears from now on; ignored when
     * too short to be a secret.
     */
    public static void addConfiguredSecret(String secret) {
        if (secret != null && secret.trim().length() >= MIN_LITERAL) {
            CONFIGURED.add(secret.trim());
        }
    }

    /** The pool's current secrets, masked verbatim; replaces the previous set (refreshed tokens retire old ones). */
    public static void setPoolSecrets(java.util.Collection<String> secrets) {
        Set<String> next = new java.util.HashSet<>();
        for (String s : secrets) {
            if (s != null && s.trim().length() >= MIN_LITERAL) {
                next.add(s.trim());
            }
        }
        Map<String, List<String>> index = new HashMap<>();
        for (String secret : next) {
            index.computeIfAbsent(secret.substring(0, MIN_LITERAL), k -> new ArrayList<>()).add(secret);
        }
        index.replaceAll((prefix, list) -> {
            list.sort(Comparator.comparingInt(String::length).reversed());
            return List.copyOf(list);
        });
        poolByPrefix = Map.copyOf(index);
    }

    /** The line with every pool secret replaced, left to right, the longest where several start at one place. */
    private static String maskPoolSecrets(String line) {
        Map<String, List<String>> index = poolByPrefix;
        if (index.isEmpty() || line.length() < MIN_LITERAL) {
            return line;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i + MIN_LITERAL <= line.length()) {
            List<String> candidates = index.get(line.substring(i, i + MIN_LITERAL));
            String hit = null;
            if (candidates != null) {
                for (String secret : candidates) {
                    if (line.startsWith(secret, i)) {
                        hit = secret;
                        break;
                    }
                }
            }
            if (hit == null) {
                i++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(line.length());
            }
            out.append(line, copied, i).append(MASK);
            i += hit.length();
            copied = i;
        }
        return out == null ? line : out.append(line, copied, line.length()).toString();
    }

    /** The line with every recognised secret replaced by {@value #MASK}. */
    public static String mask(String line) {
        if (line == null || line.isEmpty()) {
            return line;
        }
        String out = line;
        for (String secret : CONFIGURED) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        out = maskPoolSecrets(out);
        for (Rule rule : RULES) {
            out = rule.pattern().matcher(out).replaceAll(rule.replacement());
        }
        return out;
    }
}
