package io.proxygate.adapter.out.upstream.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the few top-level fields that carry usage ({@code id}, {@code model}, {@code service_tier}, {@code type},
 * {@code object}, {@code usage}) out of a JSON body that arrives in chunks, with Jackson's non-blocking parser: the
 * body itself is never held, so a large non-streamed reply costs no more memory than a small one.
 */
public final class TopLevelJsonCapture {
    private static final Set<String> CAPTURED = Set.of("id", "model", "service_tier", "type", "object", "usage");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final ObjectNode captured = NODES.objectNode();

    private int depth;
    private int skipping;
    private String field;
    private boolean failed;
    private boolean done;

    private final Deque<JsonNode> building = new ArrayDeque<>();
    private String buildingField;

    public TopLevelJsonCapture() {
        try {
            parser = UsageJson.MAPPER.getFactory().createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("Jackson cannot create a non-blocking parser", e);
        }
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /** Reads the chunk's remaining bytes without moving its position. */
    public void feed(ByteBuffer chunk) {
        if (failed || done || !chunk.hasRemaining()) {
            return;
        }
        byte[] bytes;
        int start;
        int end;
        if (chunk.hasArray()) {
            bytes = chunk.array();
            start = chunk.arrayOffset() + chunk.position();
            end = chunk.arrayOffset() + chunk.limit();
        } else {
            bytes = new byte[chunk.remaining()];
            chunk.duplicate().get(bytes);
            start = 0;
            end = bytes.length;
        }
        try {
            feeder.feedInput(bytes, start, end);
            drain();
        } catch (IOException | RuntimeException e) {
            failed = true;
        }
    }

    /** The captured fields, if the body was one complete JSON object. */
    public Optional<ObjectNode> finish() {
        if (!failed && !done) {
            try {
                feeder.endOfInput();
                drain();
            } catch (IOException | RuntimeException e) {
                failed = true;
            }
        }
        release();
        return done && !failed ? Optional.of(captured) : Optional.empty();
    }

    /**
     * Closes the parser, which hands its buffers back to Jackson for the next body and adds the field names it
     * met to the factory's shared table. Unclosed, every body's parser copied that table again (its arrays were
     * the largest single allocation of a relayed JSON reply).
     */
    private void release() {
        try {
            parser.close();
        } catch (IOException | RuntimeException ignored) {
            // Nothing is read after finish(): a parser that cannot close costs only its buffers.
        }
    }

    private void drain() throws IOException {
        JsonToken token;
        while (!failed && !done && (token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
            onToken(token);
        }
    }

    private void onToken(JsonToken token) throws IOException {
        if (!building.isEmpty()) {
            build(token);
            return;
        }
        if (skipping > 0) {
            if (token.isStructStart()) {
                skipping++;
            } else if (token.isStructEnd()) {
                skipping--;
            }
            return;
        }
        if (depth == 0) {
            if (token == JsonToken.START_OBJECT) {
                depth = 1;
            } else {
                failed = true;
            }
            return;
        }
        switch (token) {
            case FIELD_NAME -> field = parser.currentName();
            case END_OBJECT -> done = true;
            case START_OBJECT -> {
                if ("usage".equals(field)) {
                    ObjectNode usage = NODES.objectNode();
                    captured.set("usage", usage);
                    building.push(usage);
                } else {
                    skipping = 1;
                }
            }
            case START_ARRAY -> skipping = 1;
            default -> {
                if (CAPTURED.contains(field)) {
                    captured.set(field, scalar(token));
                }
            }
        }
    }

    private void build(JsonToken token) throws IOException {
        switch (token) {
            case FIELD_NAME -> buildingField = parser.currentName();
            case START_OBJECT -> attach(NODES.objectNode(), true);
            case START_ARRAY -> attach(NODES.arrayNode(), true);
            case END_OBJECT, END_ARRAY -> building.pop();
            default -> attach(scalar(token), false);
        }
    }

    private void attach(JsonNode node, boolean container) {
        JsonNode parent = building.peek();
        if (parent instanceof ObjectNode object) {
            object.set(buildingField, node);
        } else if (parent instanceof ArrayNode array) {
            array.add(node);
        }
        if (container) {
            building.push(node);
        }
    }

    private JsonNode scalar(JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> NODES.numberNode(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            default -> NODES.nullNode();
        };
    }
}
