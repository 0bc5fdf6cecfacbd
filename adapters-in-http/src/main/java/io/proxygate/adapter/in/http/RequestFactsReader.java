package io.proxygate.adapter.in.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.http.Headers;
import io.proxygate.application.proxy.RequestFacts;
import io.proxygate.application.http.Route;
import io.proxygate.domain.routing.ConversationKey;

import java.io.IOException;
import java.util.Optional;

/**
 * Pulls the few fields routing needs out of a JSON body in one streaming pass over its top level (nested values
 * are skipped, never built), and the conversation key from body or headers, per API. Public for the benchmarks; a
 * body that is not a JSON object is rejected with a 400 {@code RuntimeException}.
 */
public final class RequestFactsReader {
    // Jackson's default keeps parse buffers in a thread-local, i.e. one set per request's virtual thread for as long
    // as it lives (an open stream's whole life); a pool shared by all threads keeps only as many as parse at once.
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build();
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build());

    private RequestFactsReader() {
    }

    public static RequestFacts read(Route route, byte[] body, Headers headers) {
        String model = null;
        boolean stream = false;
        String previousResponseId = null;
        String promptCacheKey = null;
        String serviceTier = null;
        String user = null;
        String metadataUserId = null;
        boolean sawModel = false;
        if (body.length > 0) {
            try (JsonParser p = JSON.createParser(body)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new RequestBodies.BadRequest("invalid request body: expected a JSON object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "model" -> {
                            if (sawModel) {
                                // Parsers disagree on which of two wins; a key's model rule must judge the one the
                                // upstream uses.
                                throw new RequestBodies.BadRequest("invalid request body: \"model\" appears twice");
                            }
                            sawModel = true;
                            model = text(p, value);
                        }
                        case "stream" -> stream = value == JsonToken.VALUE_TRUE;
                        case "previous_response_id" -> previousResponseId = text(p, value);
                        case "prompt_cache_key" -> promptCacheKey = text(p, value);
                        case "service_tier" -> serviceTier = text(p, value);
                        case "user" -> user = text(p, value);
                        case "metadata" -> metadataUserId = metadataUserId(p, value);
                        default -> p.skipChildren();
                    }
                }
                if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                    throw new RequestBodies.BadRequest("invalid request body: malformed JSON");
                }
            } catch (IOException e) {
                throw new RequestBodies.BadRequest("invalid request body: malformed JSON");
            }
        } else if (route != Route.MODELS) {
            throw new RequestBodies.BadRequest("invalid request body: empty");
        }
        // The session headers come before the body's prompt_cache_key: pins already stored under a session id
        // (carried over from an earlier install, or made by clients that send only the header) keep their
        // conversation when a client such as Codex sends both.
        Optional<ConversationKey> conversation = switch (route.api()) {
            case RESPONSES -> first(
                    sessionHeader(headers),
                    headers.first("x-session-affinity").map(ConversationKey::session),
                    Optional.ofNullable(promptCacheKey).map(ConversationKey::promptCache),
                    headers.first("conversation_id").map(ConversationKey::session),
                    headers.first("x-session-id").map(ConversationKey::session));
            case MESSAGES -> first(
                    headers.first("x-claude-code-session-id").map(ConversationKey::session),
                    Optional.ofNullable(metadataUserId).flatMap(RequestFactsReader::sessionIdInUserId)
                            .map(ConversationKey::session),
                    sessionHeader(headers),
                    headers.first("x-session-affinity").map(ConversationKey::session),
                    headers.first("x-session-id").map(ConversationKey::session));
            case CHAT_COMPLETIONS -> first(
                    Optional.ofNullable(user).map(ConversationKey::user),
                    headers.first("x-session-affinity").map(ConversationKey::session));
        };
        return new RequestFacts(model, stream, conversation, Optional.ofNullable(previousResponseId),
                Optional.ofNullable(serviceTier));
    }

    /** {@code session_id}, or {@code session-id} as newer Codex releases spell it: the same session either way. */
    private static Optional<ConversationKey> sessionHeader(Headers headers) {
        return headers.first("session_id").or(() -> headers.first("session-id")).map(ConversationKey::session);
    }

    @SafeVarargs
    private static Optional<ConversationKey> first(Optional<ConversationKey>... options) {
        for (Optional<ConversationKey> o : options) {
            if (o.isPresent()) {
                return o;
            }
        }
        return Optional.empty();
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            String s = p.getText();
            return s.isBlank() ? null : s;
        }
        p.skipChildren();
        return null;
    }

    private static String metadataUserId(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String userId = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("user_id")) {
                userId = text(p, v);
            } else {
                p.skipChildren();
            }
        }
        return userId;
    }

    /** Claude Code puts a JSON string with {@code session_id} in {@code metadata.user_id}; older ones a suffix. */
    private static Optional<String> sessionIdInUserId(String userId) {
        String trimmed = userId.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode node = MAPPER.readTree(trimmed);
                JsonNode session = node.get("session_id");
                return session != null && session.isTextual() && !session.asText().isBlank()
                        ? Optional.of(session.asText()) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        int at = trimmed.indexOf("_session_");
        return at >= 0 ? Optional.of(trimmed.substring(at + "_session_".length())) : Optional.empty();
    }
}
