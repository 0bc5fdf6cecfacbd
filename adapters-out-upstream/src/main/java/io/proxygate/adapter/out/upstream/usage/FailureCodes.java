package io.proxygate.adapter.out.upstream.usage;

/** The HTTP status an upstream's in-stream failure code stands for, so it meets the same consequence as that status. */
public final class FailureCodes {
    private FailureCodes() {
    }

    /** OpenAI Responses error codes (ChatGPT backend and API keys). */
    public static int responsesStatus(String code) {
        return switch (code) {
            case "rate_limit_exceeded", "usage_limit_reached", "insufficient_quota", "usage_not_included" -> 429;
            case "context_length_exceeded", "invalid_prompt", "invalid_request_error", "bad_request" -> 400;
            case "server_is_overloaded", "slow_down" -> 503;
            case "server_error" -> 500;
            default -> 502;
        };
    }

    /** Anthropic error types, as their HTTP statuses are documented. */
    public static int messagesStatus(String type) {
        return switch (type) {
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 529;
            case "api_error" -> 500;
            case "invalid_request_error", "request_too_large" -> 400;
            case "authentication_error" -> 401;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            default -> 502;
        };
    }
}
