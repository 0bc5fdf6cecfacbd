package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON plumbing every codec shares: one tree mapper (trees, never data binding, so translation stays cheap), and
 * SSE frame building. Output trees reuse subtrees of the input (schemas, long texts) instead of copying them.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    static JsonNode parse(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** The request body as an object, or a refusal a client can understand. */
    static ObjectNode requestObject(byte[] body) throws Untranslatable {
        try {
            JsonNode node = SparseJsonReader.read(body);
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException e) {
            // fall through
        }
        throw new Untranslatable("the request body is not a JSON object");
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** An object node, or an object kept as raw bytes by the request reader. */
    static boolean isObject(JsonNode node) {
        return node != null && (node.isObject() || node instanceof RawJsonNode);
    }

    /** A string node that is neither missing nor empty, or null. */
    static JsonNode nonEmptyText(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        if (node instanceof RawStringNode raw) {
            return raw.hasNoText() ? null : raw;
        }
        return node.textValue().isEmpty() ? null : node;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * As {@link #bytes(JsonNode)}, into one buffer sized from the client's request: a translated request is about as
     * long (a few percent longer, hence the margin), and growing a small buffer block by block, then joining the
     * blocks, costs as much as writing the JSON.
     */
    static byte[] bytes(JsonNode node, int clientRequestLength) {
        try (ByteArrayBuilder buffer = new ByteArrayBuilder(clientRequestLength + clientRequestLength / 8 + 512);
             JsonGenerator g = MAPPER.getFactory().createGenerator(buffer)) {
            MAPPER.writeTree(g, node);
            g.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static String string(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** A text field, or null when absent or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** One SSE frame with an event name: {@code event: name\ndata: json\n\n}. */
    static byte[] namedFrame(String name, JsonNode data) {
        byte[] json = bytes(data);
        byte[] head = ("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(json, 0, frame, head.length, json.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    /** One SSE frame without an event name, as Chat Completions streams send them. */
    static byte[] dataFrame(JsonNode data) {
        byte[] json = bytes(data);
        byte[] frame = new byte[json.length + 8];
        System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, frame, 0, 6);
        System.arraycopy(json, 0, frame, 6, json.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    static final byte[] DONE_FRAME = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
}
