package io.proxygate.application.auth;

import java.util.Objects;

/**
 * A login could not be completed. The message is one user-facing line (never a token); {@link #reason()} lets each
 * edge choose its status (bad input and stale logins are the user's to fix, upstream failures are not).
 */
public final class LoginFailed extends Exception {
    public enum Reason {
        /** The pasted code or URL cannot be used (too short, no code, no query string). */
        BAD_INPUT,
        /** The provider answered the authorize step with {@code error=...} (for example access_denied). */
        DENIED,
        /** The state returned by the provider is not the one this login sent. */
        STATE_MISMATCH,
        /** A manual login was finished without being started (or after it was aborted). */
        NO_PENDING,
        /** The manual login was started too long ago. */
        PENDING_EXPIRED,
        /** Nobody completed the browser or device login in time. */
        TIMED_OUT,
        /** The token endpoint or profile call failed, or its reply lacked what an account needs. */
        UPSTREAM,
        /** Something on this machine failed: no free callback port, pending file unreadable, pool not writable. */
        LOCAL,
        /** No browser could be opened, and the caller had no one to show the URL to. */
        NO_BROWSER
    }

    private final Reason reason;

    public LoginFailed(Reason reason, String message) {
        this(reason, message, null);
    }

    public LoginFailed(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** True when the user's input or timing was at fault (an HTTP edge answers 400), false otherwise. */
    public boolean isUserError() {
        return switch (reason) {
            case BAD_INPUT, DENIED, STATE_MISMATCH, NO_PENDING, PENDING_EXPIRED -> true;
            case TIMED_OUT, UPSTREAM, LOCAL, NO_BROWSER -> false;
        };
    }
}
