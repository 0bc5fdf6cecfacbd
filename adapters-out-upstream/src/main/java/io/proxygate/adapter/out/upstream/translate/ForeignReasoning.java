package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.application.http.BodyBytes;
import io.proxygate.application.http.Route;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Optional;

/**
 * Reasoning that one family produced, carried in the other family's wrapping, in a request going back to its own
 * family untranslated. A conversation served through translation while its family was exhausted keeps, in its
 * history, thinking blocks whose signature is a Responses upstream's encrypted reasoning ({@code pgr1:}) or reasoning
 * items whose encrypted content is an Anthropic signature ({@code anthropic-thinking:}); once the family recovers, its
 * own upstream would refuse them as forged. They are removed (the text they summarise stays in the conversation's
 * answers). A request without the marker bytes is not parsed at all.
 */
final class ForeignReasoning {
    private static final byte[] THINKING_MARK = ("\"" + MessagesToResponses.SIGNATURE_PREFIX).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REASONING_MARK = "\"anthropic-".getBytes(StandardCharsets.US_ASCII);

    private ForeignReasoning() {
    }

    /** The body without foreign reasoning, or empty when it has none (the common case: nothing parsed). */
    static Optional<byte[]> strip(Route route, byte[] body) {
        return switch (route) {
            case MESSAGES, MESSAGES_COUNT_TOKENS ->
                    BodyBytes.contains(body, THINKING_MARK) ? stripThinking(body) : Optional.empty();
            case RESPONSES, RESPONSES_COMPACT ->
                    BodyBytes.contains(body, REASONING_MARK) ? stripReasoning(body) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Optional<byte[]> stripThinking(byte[] body) {
        JsonNode root = WireJson.parse(body);
        boolean changed = false;
        for (JsonNode message : root.path("messages")) {
            if (message.path("content") instanceof ArrayNode content) {
                for (Iterator<JsonNode> it = content.iterator(); it.hasNext(); ) {
                    JsonNode block = it.next();
                    if (block.path("type").asText("").equals("thinking")
                            && block.path("signature").asText("").startsWith(MessagesToResponses.SIGNATURE_PREFIX)) {
                        it.remove();
                        changed = true;
                    }
                }
            }
        }
        return changed ? Optional.of(Json.bytes(root)) : Optional.empty();
    }

    private static Optional<byte[]> stripReasoning(byte[] body) {
        JsonNode root = WireJson.parse(body);
        if (!(root instanceof ObjectNode) || !(root.path("input") instanceof ArrayNode input)) {
            return Optional.empty();
        }
        boolean changed = false;
        for (Iterator<JsonNode> it = input.iterator(); it.hasNext(); ) {
            JsonNode item = it.next();
            String sealed = item.path("encrypted_content").asText("");
            if (item.path("type").asText("").equals("reasoning")
                    && (sealed.startsWith(ResponsesToMessages.THINKING_PREFIX)
                    || sealed.startsWith(ResponsesToMessages.REDACTED_PREFIX))) {
                it.remove();
                changed = true;
            }
        }
        return changed ? Optional.of(Json.bytes(root)) : Optional.empty();
    }
}
