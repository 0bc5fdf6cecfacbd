package io.proxygate.application.auth;

import java.util.OptionalInt;

/**
 * An OAuth endpoint call failed. {@code permanent} means the grant is dead (invalid_grant, refresh_token_expired,
 * _reused, _invalidated, or a 400/401 from the token endpoint) and only a new login helps; otherwise retrying later
 * may work (network, timeout, 429, 5xx). The message never contains a token.
 */
public final class OAuthCallException extends Exception {
    private final boolean permanent;
    private final int status;

    /** @param status the HTTP status, or 0 when no response arrived */
    public OAuthCallException(String message, boolean permanent, int status) {
        super(message, null, false, false);
        this.permanent = permanent;
        this.status = status;
    }

    public boolean permanent() {
        return permanent;
    }

    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}
