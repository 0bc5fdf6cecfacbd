package io.proxygate.application.auth;

import io.proxygate.domain.credential.Secret;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A token endpoint's reply. On a refresh, absent tokens mean "keep the old one".
 *
 * @param expiresIn the reply's {@code expires_in}, when present and positive
 * @param claims    the access token's claims (ChatGPT), {@link TokenClaims#NONE} for opaque tokens (Claude)
 */
public record TokenGrant(Secret accessToken, Optional<Secret> refreshToken, Optional<Secret> idToken,
                         Optional<Duration> expiresIn, TokenClaims claims) {
    public TokenGrant {
        Objects.requireNonNull(accessToken, "accessToken");
        refreshToken = refreshToken == null ? Optional.empty() : refreshToken;
        idToken = idToken == null ? Optional.empty() : idToken;
        expiresIn = expiresIn == null ? Optional.empty() : expiresIn.filter(d -> d.isPositive());
        claims = claims == null ? TokenClaims.NONE : claims;
    }

    /** now + expires_in, else the access token's own {@code exp}. */
    public Optional<Instant> expiresAt(Instant now) {
        return expiresIn.map(now::plus).or(claims::expiresAt);
    }
}
