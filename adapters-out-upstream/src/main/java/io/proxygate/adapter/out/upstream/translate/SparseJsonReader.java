package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body into a Jackson tree whose long strings are {@link RawStringNode}s (slices of the body, never
 * decoded unless someone reads them) and whose tool schemas are {@link RawJsonNode}s (kept whole as bytes). Short
 * strings (names, ids, types) are ordinary text nodes. The tree behaves like {@code readTree}'s for every reader.
 *
 * <p>It is its own byte-level parser rather than a walk over Jackson's: a large request is mostly long strings, and
 * Jackson's parser scans each string once more to skip it after we located it. Here every byte is looked at once,
 * eight at a time inside strings (a word test for a quote, a backslash or a control character). The grammar is JSON's
 * (RFC 8259), checked as strictly as Jackson checks it, also inside the objects that stay raw; UTF-8 inside strings is
 * passed through as it came.
 */
final class SparseJsonReader {
    /** Strings at least this long (in bytes) stay raw; below it decoding is cheaper than the bookkeeping. */
    static final int RAW_FROM = 48;
    /**
     * Objects under these field names are only ever moved by a translation (a tool's JSON schema: OpenAI's
     * {@code parameters}, Anthropic's {@code input_schema}; a Messages tool call's {@code input}, which becomes a
     * Responses call's {@code arguments} text): they are kept whole as bytes.
     */
    static final java.util.Set<String> MOVED_WHOLE = java.util.Set.of("parameters", "input_schema", "input");
    /** Deeper nesting is refused, as Jackson refuses it: the parser recurses once per level. */
    static final int MAX_DEPTH = 1000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * 0x20;

    /**
     * Field names and short values that every request repeats: each is decoded once for all requests instead of once
     * per occurrence (a long conversation has thousands). Found through {@link #KNOWN_BYTES}, an open-addressed table.
     */
    private static final String[] KNOWN_WORDS = {
            "type", "text", "role", "content", "name", "id", "input", "user", "assistant", "system", "developer",
            "model", "messages", "tools", "tool_use", "tool_result", "tool_use_id", "is_error", "description",
            "input_schema", "properties", "required", "object", "string", "number", "integer", "boolean", "array",
            "items", "enum", "stream", "max_tokens", "thinking", "signature", "redacted_thinking", "cache_control",
            "ephemeral", "metadata", "user_id", "tool_choice", "auto", "any", "none", "image", "document", "source",
            "media_type", "data", "base64", "url", "temperature", "top_p", "function", "arguments", "call_id",
            "function_call", "function_call_output", "output", "message", "input_text", "output_text",
            "instructions", "reasoning", "effort", "summary", "encrypted_content", "parameters", "strict",
            "tool_calls", "tool_call_id", "image_url", "detail", "budget_tokens", "enabled", "adaptive", "store",
            "include", "stop_sequences", "stream_options", "include_usage", "max_output_tokens",
            "max_completion_tokens", "parallel_tool_calls", "additionalProperties", "default", "format", "title",
            "minimum", "maximum", "anyOf", "const", "$schema", "custom", "namespace"};
    private static final int KNOWN_LONGEST = 24;
    private static final int KNOWN_SLOTS = 512;
    private static final byte[][] KNOWN_BYTES = new byte[KNOWN_SLOTS][];
    private static final String[] KNOWN = new String[KNOWN_SLOTS];

    static {
        for (String word : KNOWN_WORDS) {
            byte[] bytes = word.getBytes(StandardCharsets.US_ASCII);
            int slot = slot(bytes, 0, bytes.length);
            while (KNOWN_BYTES[slot] != null) {
                slot = (slot + 1) & (KNOWN_SLOTS - 1);
            }
            KNOWN_BYTES[slot] = bytes;
            KNOWN[slot] = word;
        }
    }

    private final byte[] body;
    private int at;
    /** Whether the last string {@link #stringEnd} scanned held an escape. */
    private boolean escaped;

    private SparseJsonReader(byte[] body) {
        this.body = body;
    }

    static JsonNode read(byte[] body) throws IOException {
        SparseJsonReader reader = new SparseJsonReader(body);
        if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
            reader.at = 3;
        }
        reader.skipWhitespace();
        if (reader.at >= body.length) {
            throw new IOException("empty body");
        }
        JsonNode node = reader.value(0, true);
        reader.skipWhitespace();
        if (reader.at != body.length) {
            throw new IOException("trailing content after the JSON value");
        }
        return node;
    }

    /** The value at {@link #at}, or null when {@code build} is false (the value is only checked and skipped). */
    private JsonNode value(int depth, boolean build) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("nested deeper than " + MAX_DEPTH);
        }
        byte b = peek();
        return switch (b) {
            case '{' -> object(depth, build);
            case '[' -> array(depth, build);
            case '"' -> string(build);
            case 't' -> literal("true", build ? NODES.booleanNode(true) : null);
            case 'f' -> literal("false", build ? NODES.booleanNode(false) : null);
            case 'n' -> literal("null", build ? NODES.nullNode() : null);
            default -> {
                if (b == '-' || (b >= '0' && b <= '9')) {
                    yield number(build);
                }
                throw error("unexpected character");
            }
        };
    }

    private JsonNode object(int depth, boolean build) throws IOException {
        at++;
        ObjectNode o = build ? NODES.objectNode() : null;
        skipWhitespace();
        if (peek() == '}') {
            at++;
            return o;
        }
        while (true) {
            if (peek() != '"') {
                throw error("expected a field name");
            }
            int start = at + 1;
            int end = stringEnd(start);
            String name = build ? decode(start, end) : null;
            at = end + 1;
            skipWhitespace();
            expect(':');
            skipWhitespace();
            if (build) {
                JsonNode v = peek() == '{' && MOVED_WHOLE.contains(name) ? raw(depth) : value(depth + 1, true);
                o.set(name, v);
            } else {
                value(depth + 1, false);
            }
            if (closedAfterMember('}')) {
                return o;
            }
        }
    }

    private JsonNode array(int depth, boolean build) throws IOException {
        at++;
        ArrayNode a = build ? NODES.arrayNode() : null;
        skipWhitespace();
        if (peek() == ']') {
            at++;
            return a;
        }
        while (true) {
            JsonNode v = value(depth + 1, build);
            if (build) {
                a.add(v);
            }
            if (closedAfterMember(']')) {
                return a;
            }
        }
    }

    /**
     * After an object's or array's member: true past its closing {@code close}, false past the comma before the next
     * member (and the whitespace after it).
     */
    private boolean closedAfterMember(char close) throws IOException {
        skipWhitespace();
        byte next = peek();
        at++;
        if (next == close) {
            return true;
        }
        if (next != ',') {
            throw error("expected ',' or '" + close + "'");
        }
        skipWhitespace();
        return false;
    }

    /** An object checked (every token, as if built) and kept as its bytes. */
    private JsonNode raw(int depth) throws IOException {
        int start = at;
        value(depth + 1, false);
        return new RawJsonNode(body, start, at - start);
    }

    private JsonNode string(boolean build) throws IOException {
        int start = at + 1;
        int end = stringEnd(start);
        at = end + 1;
        if (!build) {
            return null;
        }
        int length = end - start;
        if (length >= RAW_FROM) {
            return new RawStringNode(body, start, length);
        }
        return NODES.textNode(decode(start, end));
    }

    /** The text of the string between {@code start} and {@code end}, as {@link #stringEnd} just scanned it. */
    private String decode(int start, int end) {
        if (!escaped) {
            if (end - start <= KNOWN_LONGEST) {
                for (int slot = slot(body, start, end); KNOWN_BYTES[slot] != null;
                     slot = (slot + 1) & (KNOWN_SLOTS - 1)) {
                    if (java.util.Arrays.equals(KNOWN_BYTES[slot], 0, KNOWN_BYTES[slot].length, body, start, end)) {
                        return KNOWN[slot];
                    }
                }
            }
            return new String(body, start, end - start, StandardCharsets.UTF_8);
        }
        return new RawStringNode(body, start, end - start).textValue();
    }

    /** A table slot from the length and three of the bytes: cheap, and enough to tell the known words apart. */
    private static int slot(byte[] bytes, int from, int to) {
        int length = to - from;
        int h = length == 0 ? 0 : length * 0x9E37 + bytes[from] * 31 + bytes[to - 1] * 131 + bytes[from + length / 2];
        return (h ^ (h >>> 7)) & (KNOWN_SLOTS - 1);
    }

    /**
     * The index of the closing quote of the string whose text starts at {@code from}; sets {@link #escaped}. Escapes
     * are checked; control characters (which JSON wants escaped) are refused.
     */
    private int stringEnd(int from) throws IOException {
        escaped = false;
        int i = from;
        int n = body.length;
        while (true) {
            while (i + 8 <= n) {
                long word = (long) WORDS.get(body, i);
                long quote = word ^ QUOTES;
                long backslash = word ^ BACKSLASHES;
                // For each test the lowest flagged byte is exact, which is the only one used.
                long hits = ((quote - ONES) & ~quote | (backslash - ONES) & ~backslash | (word - SPACES) & ~word)
                        & HIGHS;
                if (hits != 0) {
                    i += Long.numberOfTrailingZeros(hits) >>> 3;
                    break;
                }
                i += 8;
            }
            if (i >= n) {
                throw new IOException("unterminated string");
            }
            byte b = body[i];
            if (b == '"') {
                return i;
            }
            if (b == '\\') {
                escaped = true;
                i = escapeEnd(i + 1);
            } else if ((b & 0xFF) < 0x20) {
                at = i;
                throw error("unescaped control character in a string");
            } else {
                i++;
            }
        }
    }

    /** Past the escape whose letter is at {@code i}. */
    private int escapeEnd(int i) throws IOException {
        if (i >= body.length) {
            throw new IOException("unterminated string");
        }
        switch (body[i]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 1;
            }
            case 'u' -> {
                if (i + 4 >= body.length) {
                    throw new IOException("unterminated string");
                }
                for (int k = i + 1; k <= i + 4; k++) {
                    if (Character.digit(body[k], 16) < 0) {
                        at = k;
                        throw error("invalid \\u escape");
                    }
                }
                return i + 5;
            }
            default -> {
                at = i;
                throw error("invalid escape");
            }
        }
    }

    private JsonNode number(boolean build) throws IOException {
        int start = at;
        if (body[at] == '-') {
            at++;
        }
        int digitsFrom = at;
        if (peek() == '0') {
            at++;
        } else if (digits() == 0) {
            throw error("expected a digit");
        }
        int intDigits = at - digitsFrom;
        boolean integral = true;
        if (at < body.length && body[at] == '.') {
            at++;
            integral = false;
            if (digits() == 0) {
                throw error("expected a digit after '.'");
            }
        }
        if (at < body.length && (body[at] == 'e' || body[at] == 'E')) {
            at++;
            integral = false;
            if (at < body.length && (body[at] == '+' || body[at] == '-')) {
                at++;
            }
            if (digits() == 0) {
                throw error("expected a digit in the exponent");
            }
        }
        if (!build) {
            return null;
        }
        String text = new String(body, start, at - start, StandardCharsets.US_ASCII);
        if (!integral) {
            return NODES.numberNode(Double.parseDouble(text));
        }
        if (intDigits <= 18) {
            long v = Long.parseLong(text);
            return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
        }
        BigInteger big = new BigInteger(text);
        return big.bitLength() < 64 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
    }

    private int digits() {
        int from = at;
        while (at < body.length && body[at] >= '0' && body[at] <= '9') {
            at++;
        }
        return at - from;
    }

    private JsonNode literal(String word, JsonNode node) throws IOException {
        int n = word.length();
        if (at + n > body.length) {
            throw error("unexpected end of the body");
        }
        for (int k = 0; k < n; k++) {
            if (body[at + k] != word.charAt(k)) {
                throw error("unexpected character");
            }
        }
        at += n;
        if (at < body.length && Character.isLetterOrDigit(body[at])) {
            throw error("unexpected character");
        }
        return node;
    }

    private void skipWhitespace() {
        while (at < body.length) {
            byte b = body[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            at++;
        }
    }

    private byte peek() throws IOException {
        if (at >= body.length) {
            throw new IOException("unexpected end of the body");
        }
        return body[at];
    }

    private void expect(char c) throws IOException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private IOException error(String what) {
        return new IOException(what + " at byte " + at);
    }
}
