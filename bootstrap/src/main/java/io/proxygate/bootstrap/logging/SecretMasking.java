package io.proxygate.bootstrap.logging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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

    /**
     * A masking pattern and the literals at least one of which every match contains (lower case when the pattern
     * ignores case). A line without any of them is not run through the pattern: most lines (a request's summary,
     * Jetty's lifecycle) hold none, and eleven regular-expression passes per line were most of a logged request's
     * CPU.
     */
    private record Rule(Pattern pattern, String replacement, boolean ignoreCase, List<String> triggers) {
        static Rule exact(String regex, String replacement, String... triggers) {
            return new Rule(Pattern.compile(regex), replacement, false, List.of(triggers));
        }

        static Rule anyCase(String regex, String replacement, String... triggers) {
            return new Rule(Pattern.compile("(?i)" + regex), replacement, true, List.of(triggers));
        }

        boolean mayMatch(String line, String lowerCaseLine) {
            String haystack = ignoreCase ? lowerCaseLine : line;
            for (String trigger : triggers) {
                if (haystack.contains(trigger)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final String FIELD_END = "\\r\\n\"'\\\\\\[\\]{}";
    private static final List<Rule> RULES = List.of(
            // Jetty's buffer dumps ({<<<first bytes...last bytes>>>more}): raw request bytes, cut anywhere, so a
            // token may be split; the bytes are dropped to the end of the line.
            Rule.exact("<<<[^\\r\\n]*+", "<<<" + MASK, "<<<"),
            // Jetty's HTTP parser at debug: "headerString=[x-api-key], valueString=[value]", the name in brackets
            // and so not followed by ':' or '='. The value is the last thing on Jetty's line and may itself hold a
            // ']', so everything after it is masked. It runs before the next rule, which would mask the earlier
            // "name: value" of the same line up to the '[' and so cut this rule's anchor off.
            Rule.anyCase("(headerstring=\\[\\s*+(?:proxy-authorization|authorization|x-api-key|api-key"
                            + "|x-goog-api-key|x-admin-token|x-proxygate-token|cookie|set-cookie)\\s*+\\],\\s*+"
                            + "valuestring=\\[)[^\\r\\n]*+", "$1" + MASK + "]", "headerstring=["),
            // Header-like "name: value" / "name=value": everything up to the end of the field.
            Rule.anyCase("(authorization|x-api-key|api-key|x-goog-api-key|x-admin-token"
                            + "|x-proxygate-token|cookie|proxygate_admin)(\\s*+[\"']?\\s*+[:=]\\s*+[\"']?\\s*+)[^"
                            + FIELD_END + "]++", "$1$2" + MASK,
                    "authorization", "api-key", "x-admin-token", "x-proxygate-token", "cookie", "proxygate_admin"),
            // JSON fields that hold secrets.
            Rule.anyCase("(\"(?:access_token|refresh_token|id_token|api_key|apikey|client_secret"
                            + "|password|secret|token|proxy_token|admin_token)\"\\s*+:\\s*+\")[^\"\\\\]*+", "$1" + MASK,
                    "token\"", "api_key\"", "apikey\"", "secret\"", "password\""),
            // Form and query fields that hold secrets.
            Rule.anyCase("((?:access_token|refresh_token|id_token|code_verifier|client_secret"
                            + "|[?&]code)=)[^&\\s\"'\\\\\\[\\]]++", "$1" + MASK,
                    "token=", "code_verifier=", "client_secret=", "code="),
            Rule.anyCase("(bearer\\s++)[^\\s\"'\\\\\\[\\]{},;]++", "$1" + MASK, "bearer"),
            // Shapes of keys and tokens wherever they appear.
            Rule.exact("(sk-)[A-Za-z0-9_\\-]{6,}+", "$1" + MASK, "sk-"),
            Rule.exact("(pgk_)[A-Za-z0-9_\\-]++", "$1" + MASK, "pgk_"),
            Rule.exact("(pg-)[0-9a-f]{64}+", "$1" + MASK, "pg-"),
            Rule.exact("(eyJ)[A-Za-z0-9_\\-]{8,}+\\.[A-Za-z0-9_\\-]++(?:\\.[A-Za-z0-9_\\-]*+)?", "$1" + MASK, "eyJ"),
            Rule.exact("(ya29\\.)[A-Za-z0-9_\\-]++", "$1" + MASK, "ya29."),
            Rule.exact("(AIza)[0-9A-Za-z_\\-]{20,}+", "$1" + MASK, "AIza"));

    private static final Set<String> CONFIGURED = new CopyOnWriteArraySet<>();
    /**
     * The pool's secrets by their first {@value #MIN_LITERAL} characters, longest first within a prefix, and a bit for
     * each secret's first two characters (hashed). Looking up the window at each position of a line costs time
     * linear in the line; testing every secret with {@code contains} cost time linear in the pool (17,000 secrets at
     * 10,000 credentials: about a millisecond a line). The two-character bit rules out almost every position before
     * a window is cut out and looked up.
     */
    private record PoolSecrets(Map<String, List<String>> byPrefix, long[] firstTwo) {
        static final PoolSecrets NONE = new PoolSecrets(Map.of(), new long[1]);

        static PoolSecrets of(Set<String> secrets) {
            Map<String, List<String>> index = new HashMap<>();
            long[] firstTwo = new long[1 << 10];
            for (String secret : secrets) {
                index.computeIfAbsent(secret.substring(0, MIN_LITERAL), k -> new ArrayList<>()).add(secret);
                int bit = firstTwoBit(secret.charAt(0), secret.charAt(1));
                firstTwo[bit >>> 6] |= 1L << bit;
            }
            index.replaceAll((prefix, list) -> {
                list.sort(Comparator.comparingInt(String::length).reversed());
                return List.copyOf(list);
            });
            return new PoolSecrets(Map.copyOf(index), firstTwo);
        }

        static int firstTwoBit(char first, char second) {
            return (first * 31 + second) & 0xFFFF;
        }

        boolean mayStartAt(String line, int i) {
            int bit = firstTwoBit(line.charAt(i), line.charAt(i + 1));
            return (firstTwo[bit >>> 6] & (1L << bit)) != 0;
        }

        /** The longest secret starting at {@code i}, or null. */
        String at(String line, int i) {
            if (!mayStartAt(line, i)) {
                return null;
            }
            List<String> candidates = byPrefix.get(line.substring(i, i + MIN_LITERAL));
            if (candidates != null) {
                for (String secret : candidates) {
                    if (line.startsWith(secret, i)) {
                        return secret;
                    }
                }
            }
            return null;
        }
    }

    private static volatile PoolSecrets poolSecrets = PoolSecrets.NONE;

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
        poolSecrets = next.isEmpty() ? PoolSecrets.NONE : PoolSecrets.of(next);
    }

    /** The line with every pool secret replaced, left to right, the longest where several start at one place. */
    private static String maskPoolSecrets(String line) {
        PoolSecrets pool = poolSecrets;
        if (pool == PoolSecrets.NONE || line.length() < MIN_LITERAL) {
            return line;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i + MIN_LITERAL <= line.length()) {
            String hit = pool.at(line, i);
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
        String lowerCase = out.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.mayMatch(out, lowerCase)) {
                out = rule.pattern().matcher(out).replaceAll(rule.replacement());
                lowerCase = out.toLowerCase(Locale.ROOT);
            }
        }
        return out;
    }
}
