package io.proxygate.adapter.out.upstream.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.domain.usage.TokenUsage;

import java.util.Optional;

/** Small, forgiving JSON reads shared by the usage trackers: a malformed event never breaks a relay. */
final class UsageJson {
    static final ObjectMapper MAPPER = io.proxygate.adapter.out.upstream.PooledJson.mapper();

    private UsageJson() {
    }

    static Optional<JsonNode> parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** A non-negative count, or 0 when absent, null or not a number. */
    static long count(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        if (n.isNumber()) {
            return Math.max(0, n.asLong());
        }
        if (n.isTextual()) {
            try {
                return Math.max(0, Long.parseLong(n.asText().trim()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /**
     * An OpenAI {@code usage} object in either naming (Chat Completions: {@code prompt_tokens} /
     * {@code completion_tokens}; Responses: {@code input_tokens} / {@code output_tokens}): the counts, cached input
     * from {@code <input>_details.cached_tokens}, reasoning from {@code <output>_details.reasoning_tokens}. OpenAI
     * reports no cache writes. Empty when {@code holder} has no {@code usage} (or a null one).
     */
    static Optional<TokenUsage> openAiUsage(JsonNode holder, String input, String output) {
        if (!has(holder, "usage")) {
            return Optional.empty();
        }
        JsonNode usage = holder.path("usage");
        return Optional.of(new TokenUsage(
                count(usage, input),
                count(usage, input + "_details", "cached_tokens"),
                0,
                count(usage, output),
                count(usage, output + "_details", "reasoning_tokens")));
    }

    static boolean has(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return !n.isMissingNode() && !n.isNull();
    }

    static Optional<String> text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n.isTextual() && !n.asText().isEmpty() ? Optional.of(n.asText()) : Optional.empty();
    }

    private static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String key : path) {
            n = n.path(key);
        }
        return n;
    }
}
