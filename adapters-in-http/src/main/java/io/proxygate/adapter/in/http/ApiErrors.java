package io.proxygate.adapter.in.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.domain.credential.Api;

import java.nio.charset.StandardCharsets;

/** Error bodies in each API's own shape, so SDKs raise the right exception types. */
final class ApiErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiErrors() {
    }

    static String body(Api api, int status, String type, String message) {
        ObjectNode root = JSON.createObjectNode();
        if (api == Api.MESSAGES) {
            root.put("type", "error");
            ObjectNode error = root.putObject("error");
            error.put("type", anthropicType(status, type));
            error.put("message", message);
        } else {
            ObjectNode error = root.putObject("error");
            error.put("message", message);
            error.put("type", openAiType(status));
            error.putNull("param");
            error.put("code", openAiCode(status));
        }
        return root.toString();
    }

    /** One SSE event reporting a failure after the stream started, in the route's streaming shape. */
    static byte[] streamEvent(Api api, String type, String message) {
        ObjectNode root = JSON.createObjectNode();
        String event;
        switch (api) {
            case MESSAGES -> {
                root.put("type", "error");
                ObjectNode error = root.putObject("error");
                error.put("type", type);
                error.put("message", message);
                event = "event: error\ndata: " + root + "\n\n";
            }
            case RESPONSES -> {
                root.put("type", "error");
                root.put("code", type);
                root.put("message", message);
                root.putNull("param");
                event = "event: error\ndata: " + root + "\n\n";
            }
            default -> {
                ObjectNode error = root.putObject("error");
                error.put("message", message);
                error.put("type", type);
                event = "data: " + root + "\n\n";
            }
        }
        return event.getBytes(StandardCharsets.UTF_8);
    }

    private static String anthropicType(int status, String type) {
        return switch (status) {
            case 400, 405, 413, 415 -> status == 413 ? "request_too_large" : "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> type != null && !type.isBlank() ? type : "api_error";
        };
    }

    private static String openAiType(int status) {
        return switch (status) {
            case 400, 404, 405, 413, 415, 421 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> "server_error";
        };
    }

    private static String openAiCode(int status) {
        return switch (status) {
            case 401 -> "invalid_api_key";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_exceeded";
            case 503 -> "service_unavailable";
            default -> null;
        };
    }
}
