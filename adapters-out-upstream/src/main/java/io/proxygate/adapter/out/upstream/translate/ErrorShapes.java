package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * Errors moved between the two vendors' shapes. OpenAI: {@code {"error":{"message","type","param","code"}}};
 * Anthropic: {@code {"type":"error","error":{"type","message"}}}. The code an OpenAI client branches on (Codex retries
 * {@code rate_limit_exceeded} and {@code server_is_overloaded}, stops on {@code context_length_exceeded}) is derived
 * from Anthropic's type and message.
 */
final class ErrorShapes {
    private ErrorShapes() {
    }

    /** The Anthropic error type and message in a body, or a description of a body that was not one. */
    static String[] anthropicTypeAndMessage(int status, byte[] body) {
        JsonNode node = body == null || body.length == 0 ? null : Json.parse(new String(body, StandardCharsets.UTF_8));
        JsonNode error = node == null ? null : node.get("error");
        if (error != null && error.isObject()) {
            return new String[] {error.path("type").asText(typeForStatus(status)), error.path("message").asText("")};
        }
        return new String[] {typeForStatus(status), fallbackMessage(status, body)};
    }

    /** An Anthropic upstream error as an OpenAI error object (the inner {@code error} value). */
    static ObjectNode openAiErrorFromAnthropic(int status, byte[] body) {
        String[] tm = anthropicTypeAndMessage(status, body);
        return openAiError(tm[0], tm[1]);
    }

    /** An Anthropic stream's {@code error} event as an OpenAI error object. */
    static ObjectNode openAiErrorFromAnthropicEvent(JsonNode event) {
        JsonNode error = event.path("error");
        return openAiError(error.path("type").asText("api_error"), error.path("message").asText(""));
    }

    /**
     * An OpenAI error object for an upstream stream that ended without its final event: cleanly ({@code clean}) before
     * the {@code what} was complete, or cut.
     */
    static ObjectNode openAiStreamEnded(boolean clean, String what) {
        return openAiError("api_error", clean ? "the upstream stream ended before the " + what + " was complete"
                : "the upstream stream was cut");
    }

    static ObjectNode openAiError(String anthropicType, String message) {
        ObjectNode e = Json.object();
        e.put("message", message);
        e.put("type", anthropicType);
        e.putNull("param");
        e.put("code", openAiCode(anthropicType, message));
        return e;
    }

    static byte[] openAiBody(ObjectNode error) {
        ObjectNode root = Json.object();
        root.set("error", error);
        return Json.bytes(root);
    }

    /** An OpenAI upstream error body (already the client's shape for Chat clients), normalised to one object. */
    static ObjectNode openAiErrorFromOpenAi(int status, byte[] body) {
        JsonNode node = body == null || body.length == 0 ? null : Json.parse(new String(body, StandardCharsets.UTF_8));
        JsonNode error = node == null ? null : node.get("error");
        if (error != null && error.isObject()) {
            ObjectNode e = Json.object();
            e.put("message", error.path("message").asText(""));
            e.put("type", error.path("type").asText(typeForStatus(status)));
            e.set("param", error.has("param") ? error.get("param") : Json.NODES.nullNode());
            e.set("code", error.has("code") ? error.get("code") : Json.NODES.nullNode());
            return e;
        }
        // The Codex backend sometimes answers {"detail": "..."}.
        String detail = node == null ? null : Json.text(node, "detail");
        ObjectNode e = Json.object();
        e.put("message", detail != null ? detail : fallbackMessage(status, body));
        e.put("type", typeForStatus(status));
        e.putNull("param");
        e.putNull("code");
        return e;
    }

    static String openAiCode(String anthropicType, String message) {
        String m = message == null ? "" : message;
        return switch (anthropicType) {
            case "rate_limit_error" -> "rate_limit_exceeded";
            case "overloaded_error" -> "server_is_overloaded";
            case "authentication_error" -> "invalid_api_key";
            case "permission_error" -> "permission_denied";
            case "not_found_error" -> "model_not_found";
            case "request_too_large" -> "request_too_large";
            case "invalid_request_error" -> m.contains("prompt is too long") || m.contains("context window")
                    || m.contains("context length") ? "context_length_exceeded" : "invalid_request_error";
            default -> "server_error";
        };
    }

    static String typeForStatus(int status) {
        return switch (status) {
            case 400, 404, 413, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            case 529, 503 -> "overloaded_error";
            default -> "api_error";
        };
    }

    private static String fallbackMessage(int status, byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
        if (text.length() > 500) {
            text = text.substring(0, 500);
        }
        return text.isEmpty() ? "upstream answered HTTP " + status : "upstream answered HTTP " + status + ": " + text;
    }
}
