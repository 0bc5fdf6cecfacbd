package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ValueNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A JSON string value that stays as the request's own escaped UTF-8 bytes until someone reads it. Prompts, tool
 * descriptions and tool outputs pass through a translation unchanged, so they are copied byte for byte on output
 * ({@link JsonGenerator#writeRawUTF8String}) instead of being decoded and escaped again: that is most of a large
 * request's translation cost. Reading the text decodes it once.
 */
final class RawStringNode extends ValueNode {
    private static final long serialVersionUID = 1L;

    private final byte[] buffer;
    private final int offset;
    private final int length;
    private transient String decoded;

    /** The bytes between the quotes, still escaped as they were in the source. */
    RawStringNode(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    boolean hasNoText() {
        return length == 0;
    }

    @Override
    public JsonToken asToken() {
        return JsonToken.VALUE_STRING;
    }

    @Override
    public JsonNodeType getNodeType() {
        return JsonNodeType.STRING;
    }

    @Override
    public String textValue() {
        String s = decoded;
        if (s == null) {
            s = decode();
            decoded = s;
        }
        return s;
    }

    @Override
    public String asText() {
        return textValue();
    }

    private String decode() {
        boolean escaped = false;
        for (int i = offset; i < offset + length; i++) {
            if (buffer[i] == '\\') {
                escaped = true;
                break;
            }
        }
        if (!escaped) {
            return new String(buffer, offset, length, StandardCharsets.UTF_8);
        }
        try (JsonParser p = Json.MAPPER.getFactory().createParser(buffer, offset - 1, length + 2)) {
            p.nextToken();
            return p.getText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        if (g instanceof com.fasterxml.jackson.core.json.UTF8JsonGenerator) {
            g.writeRawUTF8String(buffer, offset, length);
        } else {
            g.writeString(textValue());
        }
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof RawStringNode r) {
            return textValue().equals(r.textValue());
        }
        return o instanceof com.fasterxml.jackson.databind.node.TextNode t && textValue().equals(t.textValue());
    }

    @Override
    public int hashCode() {
        return textValue().hashCode();
    }
}
