package io.proxygate.domain.usage;

import java.util.Objects;

/**
 * A failure the upstream announced inside a stream that had already begun with a success status (a Responses
 * {@code response.failed}, an Anthropic {@code event: error}). {@code status} is the HTTP status the same failure
 * would have had as a plain error answer (429 for a rate limit or quota code, 5xx for a server-side one, 400 for a
 * request the upstream refused), so the credential consequence can follow the same rules as a status would.
 */
public record StreamFailure(String code, String message, int status) {
    /** Bound on the kept message: it goes into the request log, not the client's answer. */
    public static final int MAX_MESSAGE_CHARS = 500;

    public StreamFailure {
        code = code == null || code.isBlank() ? "unknown" : code;
        message = Objects.requireNonNullElse(message, "");
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
        }
    }

    public boolean rateLimited() {
        return status == 429;
    }

    public boolean serverSide() {
        return status >= 500;
    }

    /** The request log's error text: code and message. */
    public String describe() {
        return message.isEmpty() ? code : code + ": " + message;
    }
}
