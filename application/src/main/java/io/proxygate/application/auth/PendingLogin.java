package io.proxygate.application.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A manual ({@code --no-browser}) login between its start and the pasted code: the PKCE verifier and state sent in
 * the authorize URL must be the ones used at the exchange.
 */
public record PendingLogin(String verifier, String state, String redirectUri, Instant createdAt) {
    public PendingLogin {
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "PendingLogin[redirectUri=" + redirectUri + ", createdAt=" + createdAt + "]";
    }
}
