package io.proxygate.adapter.out.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Asks a streamed Chat Completions request for its usage ({@code stream_options.include_usage}): the upstream sends
 * token counts in a stream only when asked, and without them the request could not be priced, so a client key's
 * budget could be spent for free. The client side, keeping the extra usage chunk from a client that had not asked,
 * is {@link io.proxygate.adapter.out.upstream.usage.ChatUsageOption.Hider}.
 */
final class ChatUsageRewriter {
    private static final String ASKED = "{\"include_usage\":true}";

    private ChatUsageRewriter() {
    }

    /**
     * The body to send. Without {@code stream_options} the option is inserted as the first field, every other byte
     * as the client sent it; an existing {@code stream_options} (the last, as parsers read it) gets
     * {@code include_usage} turned on in place. The very same array when the client already asked, or when the body
     * is no JSON object (sent as it is).
     */
    static byte[] askForUsage(byte[] body) {
        Optional<List<JsonFields.Field>> parsed = JsonFields.of(body);
        if (parsed.isEmpty()) {
            return body;
        }
        List<JsonFields.Field> fields = parsed.get();
        JsonFields.Field options = null;
        for (JsonFields.Field f : fields) {
            if (f.name().equals("stream_options")) {
                options = f;
            }
        }
        if (options == null) {
            int afterBrace = indexOfBrace(body) + 1;
            return splice(body, afterBrace, afterBrace,
                    "\"stream_options\":" + ASKED + (fields.isEmpty() ? "" : ","));
        }
        JsonNode value;
        try {
            value = PooledJson.mapper().readTree(body, options.valueStart(), options.end() - options.valueStart());
        } catch (IOException e) {
            return body;
        }
        if (value.path("include_usage").asBoolean(false)) {
            return body;
        }
        ObjectNode asked = value.isObject() ? ((ObjectNode) value).put("include_usage", true)
                : PooledJson.mapper().createObjectNode().put("include_usage", true);
        return splice(body, options.valueStart(), options.end(), asked.toString());
    }

    private static int indexOfBrace(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '{') {
                return i;
            }
        }
        throw new IllegalArgumentException("no object");
    }

    /** {@code body} with the bytes from {@code from} to {@code to} replaced by {@code text}. */
    private static byte[] splice(byte[] body, int from, int to, String text) {
        byte[] inserted = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + inserted.length);
        out.write(body, 0, from);
        out.writeBytes(inserted);
        out.write(body, to, body.length - to);
        return out.toByteArray();
    }
}
