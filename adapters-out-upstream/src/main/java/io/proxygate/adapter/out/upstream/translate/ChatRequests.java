package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading a Chat Completions request: the pieces both Chat codecs need and the features neither can serve. */
final class ChatRequests {
    private ChatRequests() {
    }

    /**
     * The request's {@code messages}, after refusing what neither codec can serve: a request without messages cannot
     * be translated.
     */
    static JsonNode servableMessages(JsonNode in) throws Untranslatable {
        refuseUnservable(in);
        JsonNode messages = in.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new Untranslatable("the request has no messages");
        }
        return messages;
    }

    /** A Chat completion id made from the upstream's reply id, without the upstream's own id prefix. */
    static String chatId(String upstreamId, String upstreamPrefix) {
        return "chatcmpl-" + (upstreamId.startsWith(upstreamPrefix)
                ? upstreamId.substring(upstreamPrefix.length()) : upstreamId);
    }

    /**
     * A non-streamed Chat completion with one assistant message: its text ({@code null} content when it only calls
     * tools), its tool calls, why it stopped and its usage.
     */
    static ObjectNode completion(String id, long created, String model, CharSequence text, ArrayNode calls,
                                 String finishReason, ObjectNode usage) {
        ObjectNode out = Json.object();
        out.put("id", id).put("object", "chat.completion").put("created", created);
        out.put("model", model);
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (text.isEmpty() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        message.putNull("refusal");
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        out.set("usage", usage);
        return out;
    }

    private static void refuseUnservable(JsonNode in) throws Untranslatable {
        JsonNode n = in.get("n");
        if (n != null && n.isNumber() && n.intValue() > 1) {
            throw new Untranslatable("n > 1 (several choices per request) cannot be translated; send one request "
                    + "per choice");
        }
        JsonNode logprobs = in.get("logprobs");
        if (logprobs != null && logprobs.asBoolean(false)) {
            throw new Untranslatable("logprobs cannot be translated to the serving provider");
        }
        JsonNode modalities = in.get("modalities");
        if (modalities != null) {
            for (JsonNode m : modalities) {
                if (!"text".equals(m.asText())) {
                    throw new Untranslatable("output modality " + m.asText() + " cannot be translated");
                }
            }
        }
        if (in.hasNonNull("audio")) {
            throw new Untranslatable("audio output cannot be translated");
        }
    }

    /** max_completion_tokens, or the older max_tokens, or -1. */
    static int maxTokens(JsonNode in) {
        JsonNode v = in.get("max_completion_tokens");
        if (v == null || !v.canConvertToInt()) {
            v = in.get("max_tokens");
        }
        return v != null && v.canConvertToInt() ? v.intValue() : -1;
    }

    static boolean includeUsage(JsonNode in) {
        return in.path("stream_options").path("include_usage").asBoolean(false);
    }

    /** The text of a string or a list of text parts. */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            String t = Json.text(part, "text");
            if (t != null && !t.isEmpty()) {
                if (!sb.isEmpty()) {
                    sb.append("\n\n");
                }
                sb.append(t);
            }
        }
        return sb.toString();
    }

    static String finishReasonFromAnthropic(String stopReason) {
        return switch (stopReason == null ? "end_turn" : stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }
}
