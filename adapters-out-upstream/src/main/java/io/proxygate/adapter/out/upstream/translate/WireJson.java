package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Forgiving JSON reads and named SSE frames, over {@link Json}'s mapper (which also writes the trees). */
final class WireJson {
    private WireJson() {
    }

    /** The body as a JSON object; a body that is not one is the client's mistake, named as such. */
    static ObjectNode object(byte[] body) throws Untranslatable {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (JsonProcessingException e) {
            throw new Untranslatable("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Untranslatable("the request body could not be read: " + e.getMessage());
        }
        throw new Untranslatable("the request body is not a JSON object");
    }

    /** A JSON text, or a missing node when it does not parse (a malformed upstream event never breaks a relay). */
    static JsonNode parse(String text) {
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            return node == null ? Json.NODES.missingNode() : node;
        } catch (JsonProcessingException e) {
            return Json.NODES.missingNode();
        }
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node == null ? Json.NODES.missingNode() : node;
        } catch (IOException e) {
            return Json.NODES.missingNode();
        }
    }

    /** One complete SSE frame: {@code event: name}, one {@code data:} line, blank line. */
    static byte[] frame(String name, JsonNode data) {
        String json = Json.string(data);
        StringBuilder sb = new StringBuilder(json.length() + name.length() + 20);
        if (name != null) {
            sb.append("event: ").append(name).append('\n');
        }
        sb.append("data: ").append(json).append("\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A non-negative count at {@code field}, 0 when absent or not a number. */
    static long count(JsonNode node, String field) {
        JsonNode n = node.path(field);
        return n.isNumber() ? Math.max(0, n.asLong()) : 0;
    }
}
