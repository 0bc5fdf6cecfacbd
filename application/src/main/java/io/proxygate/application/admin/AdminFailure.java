package io.proxygate.application.admin;

import java.util.Objects;

/** An admin action that cannot be done; {@link #kind()} lets each edge pick its status. The message is user-facing. */
public final class AdminFailure extends RuntimeException {
    public enum Kind {
        /** No such credential. */
        NOT_FOUND,
        /** The input is unusable (bad id, unknown type, malformed JSON, ...). */
        INVALID,
        /** The credential already exists. */
        CONFLICT,
        /** A provider or another service failed (token refresh, price fetch). */
        UPSTREAM,
        /** The feature is not available in this setup. */
        UNAVAILABLE
    }

    private final Kind kind;

    public AdminFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
