package io.proxygate.application.auth;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A started manual login: the user opens {@code authorizeUrl} anywhere, then pastes the redirect URL (which fails to
 * load on their machine) or the code before {@code expiresAt}.
 */
public record ManualLogin(OAuthProvider provider, URI authorizeUrl, String redirectUri, Instant expiresAt) {
    public ManualLogin {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(authorizeUrl, "authorizeUrl");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
