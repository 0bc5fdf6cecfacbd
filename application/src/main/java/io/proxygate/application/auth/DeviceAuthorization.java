package io.proxygate.application.auth;

import java.util.Objects;

/**
 * The device-code login was approved: exchange {@code authorizationCode} with {@code codeVerifier} and
 * {@code redirectUri} ({@code {issuer}/deviceauth/callback}) like a browser login's code.
 */
public record DeviceAuthorization(String authorizationCode, String codeVerifier, String redirectUri) {
    public DeviceAuthorization {
        Objects.requireNonNull(authorizationCode, "authorizationCode");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(redirectUri, "redirectUri");
    }

    @Override
    public String toString() {
        return "DeviceAuthorization[redirectUri=" + redirectUri + "]";
    }
}
