package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ValueNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON object that a translation only moves (a tool's parameter schema), kept as the request's own bytes and
 * written out unchanged, so its many small nodes are never built nor serialised again. Its node type is OBJECT
 * ({@code isObject()} stays false: test with {@link Json#isObject}); {@link #parsed()} gives the real tree to a reader
 * that needs to look inside.
 */
final class RawJsonNode extends ValueNode {
    private static final long serialVersionUID = 1L;

    private final byte[] buffer;
    private final int offset;
    private final int length;

    RawJsonNode(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    JsonNode parsed() {
        try {
            return Json.MAPPER.readTree(buffer, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object's JSON text without whitespace between tokens; escapes and numbers stay as the request wrote them. */
    String compactText() {
        byte[] out = new byte[length];
        int n = 0;
        boolean inString = false;
        for (int i = offset; i < offset + length; i++) {
            byte b = buffer[i];
            if (inString) {
                out[n++] = b;
                if (b == '\\') {
                    out[n++] = buffer[++i];
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                out[n++] = b;
                inString = b == '"';
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public JsonToken asToken() {
        return JsonToken.START_OBJECT;
    }

    @Override
    public JsonNodeType getNodeType() {
        return JsonNodeType.OBJECT;
    }

    @Override
    public String asText() {
        return "";
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        if (g instanceof UTF8JsonGenerator) {
            g.writeRawValue(new Slice());
        } else {
            g.writeRawValue(new String(buffer, offset, length, StandardCharsets.UTF_8));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof RawJsonNode r && parsed().equals(r.parsed())
                || o instanceof JsonNode n && n.isObject() && !(o instanceof RawJsonNode) && parsed().equals(n);
    }

    @Override
    public int hashCode() {
        return parsed().hashCode();
    }

    /** The bytes as a raw value for Jackson's UTF-8 generator (which copies them with no escaping). */
    private final class Slice implements SerializableString {
        @Override
        public String getValue() {
            return new String(buffer, offset, length, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return Arrays.copyOfRange(buffer, offset, offset + length);
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int appendQuotedUTF8(byte[] out, int at) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int appendQuoted(char[] out, int at) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int appendUnquotedUTF8(byte[] out, int at) {
            if (at + length > out.length) {
                return -1;
            }
            System.arraycopy(buffer, offset, out, at, length);
            return length;
        }

        @Override
        public int appendUnquoted(char[] out, int at) {
            String s = getValue();
            if (at + s.length() > out.length) {
                return -1;
            }
            s.getChars(0, s.length(), out, at);
            return s.length();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(buffer, offset, length);
            return length;
        }

        @Override
        public int putQuotedUTF8(ByteBuffer out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer out) {
            if (out.remaining() < length) {
                return -1;
            }
            out.put(buffer, offset, length);
            return length;
        }
    }
}
