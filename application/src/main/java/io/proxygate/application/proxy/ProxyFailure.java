package io.proxygate.application.proxy;

import java.time.Duration;
import java.util.Optional;

/**
 * A request that failed before any byte reached the client. The inbound adapter renders it once, in the route's
 * API error shape ({@code {"error":{...}}} for OpenAI routes, {@code {"type":"error","error":{...}}} for Anthropic).
 *
 * @param status     HTTP status
 * @param errorType  API error type such as {@code rate_limit_error}, {@code authentication_error}, {@code api_error}
 * @param retryAfter a Retry-After to send, if any
 * @param detail     what the upstream last said, for the request log only: when every credential failed, the
 *                   client is told so in ProxyGate's words, since relaying one pooled key's 401 would make a client
 *                   believe its own key was wrong
 */
public final class ProxyFailure extends RuntimeException {
    private final int status;
    private final String errorType;
    private final Optional<Duration> retryAfter;
    private final Optional<String> detail;

    public ProxyFailure(int status, String errorType, String message, Optional<Duration> retryAfter,
                        Optional<String> detail) {
        super(message, null, false, false);
        this.status = status;
        this.errorType = errorType;
        this.retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
        this.detail = detail == null ? Optional.empty() : detail;
    }

    public ProxyFailure(int status, String errorType, String message, Optional<Duration> retryAfter) {
        this(status, errorType, message, retryAfter, Optional.empty());
    }

    public ProxyFailure(int status, String errorType, String message) {
        this(status, errorType, message, Optional.empty());
    }

    public int status() {
        return status;
    }

    public String errorType() {
        return errorType;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** The last upstream error behind this failure, for the request log; never sent to the client. */
    public Optional<String> detail() {
        return detail;
    }
}
