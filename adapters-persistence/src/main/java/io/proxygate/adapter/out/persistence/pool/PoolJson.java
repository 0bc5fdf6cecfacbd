package io.proxygate.adapter.out.persistence.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * JSON reading and writing shared by the pool files and the imports: strict-but-friendly field readers that turn
 * wrong shapes into {@link PoolFormatException}s, RFC 3339 times, and a 2-space indented layout (the one existing
 * pool files use, so a rewrite changes only what changed).
 */
final class PoolJson {
    /** The largest credential file we read; anything bigger is not one of ours. */
    static final int MAX_FILE_BYTES = 1 << 20;

    static final ObjectMapper MAPPER = JsonMapper.builder()
            // Parse errors must never quote file content: the file holds tokens.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator("")));

    private PoolJson() {
    }

    /** Parses a whole file's bytes into an object node, or explains (without quoting content) why not. */
    static ObjectNode readObject(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new PoolFormatException(at == null ? "not valid JSON"
                    : "not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        } catch (IOException e) {
            throw new PoolFormatException("not valid JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw new PoolFormatException("file is empty");
        }
        if (!root.isObject()) {
            throw new PoolFormatException("top level must be a JSON object");
        }
        return (ObjectNode) root;
    }

    /** Parses bytes into any JSON value (imports accept arrays too). */
    static JsonNode readTree(byte[] bytes) {
        try {
            JsonNode root = MAPPER.readTree(bytes);
            if (root == null || root.isMissingNode()) {
                throw new PoolFormatException("file is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new PoolFormatException(at == null ? "not valid JSON"
                    : "not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        } catch (IOException e) {
            throw new PoolFormatException("not valid JSON");
        }
    }

    /** The 2-space indented form written to every pool file, with a final newline. */
    static byte[] format(ObjectNode node) {
        try {
            return (WRITER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** A trimmed non-blank string, empty when absent, null or blank; any other type is a format problem. */
    static Optional<String> text(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new PoolFormatException("\"" + field + "\" must be a string");
        }
        String value = node.asText().trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The first present field among {@code fields}. */
    static Optional<String> firstText(JsonNode object, String... fields) {
        for (String field : fields) {
            Optional<String> value = text(object, field);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** Optional boolean that defaults to false. */
    static boolean flag(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new PoolFormatException("\"" + field + "\" must be true or false");
        }
        return node.asBoolean();
    }

    /**
     * An RFC 3339 time. Files written by Go programs hold Go's zero time ({@code 0001-01-01T00:00:00Z}) for "unset",
     * so times at or before the Unix epoch count as absent.
     */
    static Optional<Instant> time(JsonNode object, String field) {
        Optional<String> text = text(object, field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return unsetIfZero(OffsetDateTime.parse(text.get()).toInstant());
        } catch (DateTimeParseException e) {
            throw new PoolFormatException("\"" + field + "\" is not an RFC 3339 time");
        }
    }

    /**
     * An expiry written by any of the tools we import from: a number above 1e12 is epoch milliseconds, any other
     * positive number epoch seconds, a string RFC 3339; anything else is unknown.
     */
    static Optional<Instant> flexibleTime(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        if (node.isNumber()) {
            double value = node.asDouble();
            if (value > 1e12) {
                return Optional.of(Instant.ofEpochMilli((long) value));
            }
            return value > 0 ? Optional.of(Instant.ofEpochSecond((long) value)) : Optional.empty();
        }
        if (node.isTextual()) {
            try {
                return unsetIfZero(OffsetDateTime.parse(node.asText().trim()).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> unsetIfZero(Instant instant) {
        return instant.isAfter(Instant.EPOCH) ? Optional.of(instant) : Optional.empty();
    }

    /** Sets {@code field} to the value, or removes it when absent, keeping the field's position when present. */
    static void putOrRemove(ObjectNode node, String field, Optional<String> value) {
        if (value.isPresent()) {
            node.put(field, value.get());
        } else {
            node.remove(field);
        }
    }
}
