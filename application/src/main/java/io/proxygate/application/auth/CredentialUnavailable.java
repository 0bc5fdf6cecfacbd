package io.proxygate.application.auth;

/** An account's tokens could not be made usable (refresh failed for good, or no refresh token). */
public final class CredentialUnavailable extends Exception {
    private final boolean permanent;

    public CredentialUnavailable(String reason, boolean permanent) {
        super(reason, null, false, false);
        this.permanent = permanent;
    }

    /** True when only a new login can help (invalid_grant and friends); false for transient failures. */
    public boolean permanent() {
        return permanent;
    }
}
