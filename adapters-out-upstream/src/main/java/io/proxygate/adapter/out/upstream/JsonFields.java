package io.proxygate.adapter.out.upstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Locates the top-level fields of a JSON object as byte ranges of the original body, so that a rewrite can drop,
 * replace or append fields while every other field is copied byte for byte and in order (no re-serialisation:
 * number formats, escapes and unknown fields survive exactly).
 */
final class JsonFields {
    static final JsonFactory FACTORY = PooledJson.FACTORY;

    /**
     * One top-level field.
     *
     * @param name       the decoded field name
     * @param start      offset of the name's opening quote
     * @param valueStart offset of the value's first byte
     * @param end        offset just past the value
     * @param valueToken the value's first token
     */
    record Field(String name, int start, int valueStart, int end, JsonToken valueToken) {
    }

    private JsonFields() {
    }

    /** The top-level fields in order, or empty when the body is not a well-formed JSON object. */
    static Optional<List<Field>> of(byte[] body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            List<Field> fields = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                int start = (int) p.currentTokenLocation().getByteOffset();
                String name = p.currentName();
                JsonToken value = p.nextToken();
                int valueStart = (int) p.currentTokenLocation().getByteOffset();
                if (value.isStructStart()) {
                    p.skipChildren();
                } else {
                    p.finishToken();
                }
                int end = scalarEnd(body, valueStart, (int) p.currentLocation().getByteOffset(), value);
                fields.add(new Field(name, start, valueStart, end, value));
            }
            if (t != JsonToken.END_OBJECT) {
                return Optional.empty();
            }
            return Optional.of(fields);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Jackson's location after a number may sit past a delimiter; cut the slice back to the value itself. */
    private static int scalarEnd(byte[] body, int valueStart, int reported, JsonToken value) {
        if (value.isStructStart() || value == JsonToken.VALUE_STRING) {
            return reported;
        }
        int end = Math.min(reported, body.length);
        while (end > valueStart) {
            byte b = body[end - 1];
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == ',' || b == '}' || b == ']') {
                end--;
            } else {
                break;
            }
        }
        return end;
    }

    /** Writes a new object from pieces, putting commas between them. */
    static final class ObjectWriter {
        private final ByteArrayOutputStream out;
        private boolean first = true;

        ObjectWriter(int sizeHint) {
            out = new ByteArrayOutputStream(sizeHint + 64);
            out.write('{');
        }

        /** The field exactly as it was. */
        void raw(byte[] body, Field f) {
            separator();
            out.write(body, f.start(), f.end() - f.start());
        }

        /** The field's original name bytes with a new value. */
        void replaced(byte[] body, Field f, String newValue) {
            separator();
            out.write(body, f.start(), f.valueStart() - f.start());
            out.writeBytes(newValue.getBytes(StandardCharsets.UTF_8));
        }

        /** The field's original name bytes with a value built around byte ranges of the original. */
        void replaced(byte[] body, Field f, byte[] newValue) {
            separator();
            out.write(body, f.start(), f.valueStart() - f.start());
            out.writeBytes(newValue);
        }

        /** A new field; {@code jsonValue} must already be JSON. */
        void added(String name, String jsonValue) {
            separator();
            out.writeBytes(("\"" + name + "\":" + jsonValue).getBytes(StandardCharsets.UTF_8));
        }

        byte[] finish() {
            out.write('}');
            return out.toByteArray();
        }

        private void separator() {
            if (!first) {
                out.write(',');
            }
            first = false;
        }
    }

    static byte[] concat(String prefix, byte[] body, int from, int to, String suffix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from + prefix.length() + suffix.length());
        out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
        out.write(body, from, to - from);
        out.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
