package io.proxygate.application.auth;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the claims of a JWT (an OpenAI access or id token) without checking its signature: they only fill in facts
 * the token's owner already knows (account id, plan, email, expiry), never authorise anything. Both the OAuth client
 * (labelling a new login) and the pool files (tokens imported without those fields) need them, so the decoder lives
 * here, with a small JSON reader of its own: the application depends on no JSON library.
 */
public final class JwtClaims {
    /** The claim object OpenAI puts account facts under. */
    private static final String OPENAI_AUTH_CLAIM = "https://api.openai.com/auth";
    /** The claim object OpenAI puts the user's profile under. */
    private static final String OPENAI_PROFILE_CLAIM = "https://api.openai.com/profile";

    private final Map<String, Object> payload;

    private JwtClaims(Map<String, Object> payload) {
        this.payload = payload;
    }

    /** Decodes the payload (part 2, base64url, padded or not); empty when the text is not a JWT with a JSON object. */
    public static Optional<JwtClaims> parse(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(stripPadding(parts[1]));
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return new JsonReader(text).document() instanceof Map<?, ?> object
                    ? Optional.of(new JwtClaims(cast(object))) : Optional.empty();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * The claims a new ChatGPT login is labelled with: those of the access token, with gaps filled from the id token
     * (which carries the same claim objects). Expiry comes from the access token alone.
     */
    public static TokenClaims ofTokens(String accessToken, Optional<String> idToken) {
        Optional<JwtClaims> access = parse(accessToken);
        Optional<JwtClaims> id = idToken.flatMap(JwtClaims::parse);
        return new TokenClaims(
                access.flatMap(JwtClaims::email).or(() -> id.flatMap(JwtClaims::email)),
                access.flatMap(JwtClaims::chatGptAccountId).or(() -> id.flatMap(JwtClaims::chatGptAccountId)),
                access.flatMap(JwtClaims::chatGptPlanType).or(() -> id.flatMap(JwtClaims::chatGptPlanType)),
                access.flatMap(JwtClaims::expiresAt));
    }

    /** A non-blank string at {@code path} (object keys), if there is one. */
    private Optional<String> text(String... path) {
        return nonBlank(path(path));
    }

    /**
     * ChatGPT account id: the auth claim's {@code chatgpt_account_id}, else a top-level one, else the first
     * organisation's id (under the auth claim, else top-level).
     */
    public Optional<String> chatGptAccountId() {
        return text(OPENAI_AUTH_CLAIM, "chatgpt_account_id")
                .or(() -> text("chatgpt_account_id"))
                .or(() -> firstOrganisation(path(OPENAI_AUTH_CLAIM, "organizations")))
                .or(() -> firstOrganisation(payload.get("organizations")));
    }

    /** ChatGPT plan ({@code free}, {@code plus}, {@code pro}, ...), as the token states it. */
    public Optional<String> chatGptPlanType() {
        return text(OPENAI_AUTH_CLAIM, "chatgpt_plan_type");
    }

    /** Email from the profile claim, else a top-level {@code email}. */
    public Optional<String> email() {
        return text(OPENAI_PROFILE_CLAIM, "email").or(() -> text("email"));
    }

    /** The {@code exp} claim (epoch seconds). */
    public Optional<Instant> expiresAt() {
        return payload.get("exp") instanceof Number exp && exp.longValue() > 0
                ? Optional.of(Instant.ofEpochSecond(exp.longValue())) : Optional.empty();
    }

    @Override
    public String toString() {
        // Claims name a person; keep them out of logs by default.
        return "JwtClaims[" + payload.size() + " claims]";
    }

    private Object path(String... keys) {
        Object node = payload;
        for (String key : keys) {
            node = node instanceof Map<?, ?> object ? object.get(key) : null;
        }
        return node;
    }

    private static Optional<String> firstOrganisation(Object organisations) {
        return organisations instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first
                ? nonBlank(first.get("id")) : Optional.empty();
    }

    private static Optional<String> nonBlank(Object node) {
        return node instanceof String s && !s.isBlank() ? Optional.of(s.trim()) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> object) {
        return (Map<String, Object>) object;
    }

    private static String stripPadding(String part) {
        int end = part.length();
        while (end > 0 && part.charAt(end - 1) == '=') {
            end--;
        }
        return part.substring(0, end);
    }

    /**
     * A strict reader of one JSON document (RFC 8259) into maps, lists, strings, numbers ({@link Long} or
     * {@link Double}), booleans and null. Malformed input is an {@link IllegalArgumentException}.
     */
    static final class JsonReader {
        /** Deeper documents are refused rather than risk the stack: token payloads are two or three levels deep. */
        private static final int MAX_DEPTH = 64;

        private final String text;
        private int pos;

        JsonReader(String text) {
            this.text = text;
        }

        Object document() {
            Object value = value(0);
            skipSpace();
            if (pos != text.length()) {
                throw error("trailing text");
            }
            return value;
        }

        private Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested too deep");
            }
            skipSpace();
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> object = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return object;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("expected a key");
                }
                String key = string();
                skipSpace();
                expect(':');
                object.put(key, value(depth + 1));
                skipSpace();
                char next = next();
                if (next == '}') {
                    return object;
                }
                if (next != ',') {
                    throw error("expected , or }");
                }
            }
        }

        private List<Object> array(int depth) {
            List<Object> array = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return array;
            }
            while (true) {
                array.add(value(depth + 1));
                skipSpace();
                char next = next();
                if (next == ']') {
                    return array;
                }
                if (next != ',') {
                    throw error("expected , or ]");
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escape = next();
                switch (escape) {
                    case '"', '\\', '/' -> out.append(escape);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        private Object number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            int digits = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == digits || (text.charAt(digits) == '0' && pos - digits > 1)) {
                throw error("bad number");
            }
            boolean integral = true;
            if (pos < text.length() && text.charAt(pos) == '.') {
                integral = false;
                pos++;
                int fraction = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                if (pos == fraction) {
                    throw error("bad number");
                }
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                    pos++;
                }
                int exponent = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                if (pos == exponent) {
                    throw error("bad number");
                }
            }
            String number = text.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(number);
                } catch (NumberFormatException tooLong) {
                    return Double.parseDouble(number);
                }
            }
            return Double.parseDouble(number);
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("bad literal");
            }
            pos += word.length();
            return value;
        }

        private void skipSpace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private char next() {
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(pos++);
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("expected " + c);
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("malformed JSON at " + pos + ": " + what);
        }
    }
}
