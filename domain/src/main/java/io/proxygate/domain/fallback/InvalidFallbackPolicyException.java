package io.proxygate.domain.fallback;

/** A fallback policy or rule that cannot be applied; the message is shown to the admin as is. */
public final class InvalidFallbackPolicyException extends RuntimeException {
    public InvalidFallbackPolicyException(String message) {
        super(message);
    }
}
