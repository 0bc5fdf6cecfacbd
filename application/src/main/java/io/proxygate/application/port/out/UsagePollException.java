package io.proxygate.application.port.out;

import java.util.OptionalInt;

/** A usage poll failed: an HTTP error status, or no usable answer at all (network, timeout, bad JSON). */
public final class UsagePollException extends Exception {
    private final int status;

    /** @param status the HTTP status, or 0 when the upstream gave none */
    public UsagePollException(String message, int status) {
        super(message);
        this.status = status;
    }

    public UsagePollException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** A 401: the access token was rejected, so a refresh may cure it. */
    public boolean unauthorized() {
        return status == 401;
    }
}
