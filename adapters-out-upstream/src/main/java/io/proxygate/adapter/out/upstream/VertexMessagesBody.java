package io.proxygate.adapter.out.upstream;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.domain.fallback.VariantChange;
import io.proxygate.domain.fallback.VariantHints;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Messages API body as Claude on Vertex AI wants it, and the variant hints it carries. The rewrite touches only
 * top-level fields and copies every other field byte for byte and in order (large Claude Code bodies keep their
 * exact content): the model travels in the URL, so {@code model} goes, as do {@code context_management} and
 * {@code service_tier} (Vertex rejects them); the target variant is applied to {@code thinking} and
 * {@code max_tokens}; {@code anthropic_version} is set to Vertex's.
 */
public final class VertexMessagesBody {
    public static final String ANTHROPIC_VERSION = "vertex-2023-10-16";
    private static final ObjectMapper JSON = new ObjectMapper();

    private VertexMessagesBody() {
    }

    /** The body to send; a body that is not a JSON object goes unchanged (Vertex's own 400 then reaches the client). */
    public static byte[] rewrite(byte[] body, VariantChange change) {
        Optional<List<JsonFields.Field>> parsed = JsonFields.of(body);
        if (parsed.isEmpty()) {
            return body;
        }
        JsonFields.ObjectWriter out = new JsonFields.ObjectWriter(body.length);
        boolean thinkingSeen = false;
        for (JsonFields.Field f : parsed.get()) {
            switch (f.name()) {
                case "model", "context_management", "service_tier", "anthropic_version" -> {
                    // dropped; anthropic_version is added once below
                }
                case "thinking" -> {
                    thinkingSeen = true;
                    switch (change) {
                        case VariantChange.Keep keep -> out.raw(body, f);
                        case VariantChange.RemoveThinking remove -> {
                        }
                        case VariantChange.SetThinking set -> out.replaced(body, f, thinking(body, f, set));
                    }
                }
                case "max_tokens" -> {
                    OptionalLong requested = integer(body, f);
                    if (change instanceof VariantChange.SetThinking set && requested.isPresent()
                            && set.maxTokensFor(requested.getAsLong()) != requested.getAsLong()) {
                        out.replaced(body, f, Long.toString(set.maxTokensFor(requested.getAsLong())));
                    } else {
                        out.raw(body, f);
                    }
                }
                default -> out.raw(body, f);
            }
        }
        if (!thinkingSeen && change instanceof VariantChange.SetThinking set) {
            out.added("thinking", thinking(body, null, set));
        }
        out.added("anthropic_version", "\"" + ANTHROPIC_VERSION + "\"");
        return out.finish();
    }

    /** {@code metadata.proxygate_variant}, {@code thinking.type} and {@code thinking.budget_tokens}, where present. */
    public static VariantHints hints(byte[] body) {
        Optional<List<JsonFields.Field>> parsed = JsonFields.of(body);
        if (parsed.isEmpty()) {
            return VariantHints.NONE;
        }
        Optional<String> metadataVariant = Optional.empty();
        Optional<String> thinkingType = Optional.empty();
        OptionalLong budget = OptionalLong.empty();
        for (JsonFields.Field f : parsed.get()) {
            if (f.valueToken() != JsonToken.START_OBJECT) {
                continue;
            }
            if (f.name().equals("metadata")) {
                JsonNode variant = node(body, f).path("proxygate_variant");
                metadataVariant = variant.isTextual() ? Optional.of(variant.asText()) : Optional.empty();
            } else if (f.name().equals("thinking")) {
                JsonNode thinking = node(body, f);
                thinkingType = thinking.path("type").isTextual() ? Optional.of(thinking.path("type").asText())
                        : Optional.empty();
                JsonNode tokens = thinking.path("budget_tokens");
                budget = tokens.isNumber() ? OptionalLong.of(tokens.asLong()) : OptionalLong.empty();
            }
        }
        return new VariantHints(metadataVariant, thinkingType, budget);
    }

    /** Sets the two keys and keeps any other key of an existing thinking object (a client's extra settings survive). */
    private static String thinking(byte[] body, JsonFields.Field existing, VariantChange.SetThinking set) {
        JsonNode current = existing == null || existing.valueToken() != JsonToken.START_OBJECT
                ? null : node(body, existing);
        ObjectNode thinking = current instanceof ObjectNode o ? o : JSON.createObjectNode();
        thinking.put("type", "enabled");
        thinking.put("budget_tokens", set.budgetTokens());
        return thinking.toString();
    }

    private static OptionalLong integer(byte[] body, JsonFields.Field f) {
        if (f.valueToken() != JsonToken.VALUE_NUMBER_INT) {
            return OptionalLong.empty();
        }
        JsonNode n = node(body, f);
        return n.canConvertToLong() ? OptionalLong.of(n.asLong()) : OptionalLong.empty();
    }

    private static JsonNode node(byte[] body, JsonFields.Field f) {
        try {
            return JSON.readTree(body, f.valueStart(), f.end() - f.valueStart());
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
