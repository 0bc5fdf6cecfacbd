package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * Reads a request body into a Jackson tree whose long strings are {@link RawStringNode}s: slices of the body found by
 * a byte scan and skipped by the parser without being decoded. Short strings (names, ids, types) are ordinary text
 * nodes. The tree behaves like {@code readTree}'s for every reader.
 */
final class SparseJsonReader {
    /** Strings at least this long (in bytes) stay raw; below it decoding is cheaper than the bookkeeping. */
    static final int RAW_FROM = 48;
    /**
     * Objects under these field names are only ever moved by a translation (a tool's JSON schema: OpenAI's
     * {@code parameters}, Anthropic's {@code input_schema}): they are kept whole as bytes.
     */
    static final java.util.Set<String> MOVED_WHOLE = java.util.Set.of("parameters", "input_schema");
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SparseJsonReader() {
    }

    static JsonNode read(byte[] body) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("empty body");
            }
            JsonNode node = value(p, t, body);
            if (p.nextToken() != null) {
                throw new IOException("trailing content after the JSON value");
            }
            return node;
        }
    }

    private static JsonNode value(JsonParser p, JsonToken t, byte[] body) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                JsonToken n;
                while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    o.set(name, v == JsonToken.START_OBJECT && MOVED_WHOLE.contains(name) ? raw(p, body)
                            : value(p, v, body));
                }
                if (n != JsonToken.END_OBJECT) {
                    throw new IOException("unterminated object");
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (n == null) {
                        throw new IOException("unterminated array");
                    }
                    a.add(value(p, n, body));
                }
                return a;
            }
            case VALUE_STRING -> {
                int quote = (int) p.currentTokenLocation().getByteOffset();
                if (quote < 0 || quote >= body.length || body[quote] != '"') {
                    return NODES.textNode(p.getText());
                }
                int end = closingQuote(body, quote + 1);
                int length = end - quote - 1;
                if (length < RAW_FROM) {
                    return NODES.textNode(p.getText());
                }
                // Left unread, the parser skips the string on the next token without decoding it.
                return new RawStringNode(body, quote + 1, length);
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IOException("unexpected token " + t);
        }
    }

    /** An object skipped by the parser (tokenised, not built) and kept as its bytes. */
    private static JsonNode raw(JsonParser p, byte[] body) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getByteOffset();
        if (start < 0 || end > body.length || body[start] != '{' || body[end - 1] != '}') {
            throw new IOException("cannot locate an object in the body");
        }
        return new RawJsonNode(body, start, end - start);
    }

    private static int closingQuote(byte[] body, int from) throws IOException {
        int i = from;
        while (i < body.length) {
            byte b = body[i];
            if (b == '"') {
                return i;
            }
            i += b == '\\' ? 2 : 1;
        }
        throw new IOException("unterminated string");
    }
}
