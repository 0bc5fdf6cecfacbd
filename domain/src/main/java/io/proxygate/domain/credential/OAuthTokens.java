package io.proxygate.domain.credential;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The OAuth token set of an account. */
public record OAuthTokens(Secret accessToken, Optional<Secret> refreshToken, Optional<Secret> idToken,
                          Optional<Instant> expiresAt) {
    public OAuthTokens {
        Objects.requireNonNull(accessToken, "accessToken");
        refreshToken = refreshToken == null ? Optional.empty() : refreshToken;
        idToken = idToken == null ? Optional.empty() : idToken;
        expiresAt = expiresAt == null ? Optional.empty() : expiresAt;
    }

    /** True when the access token expires within {@code skew} of {@code now} (unknown expiry never does). */
    public boolean expiresWithin(Duration skew, Instant now) {
        return expiresAt.map(at -> !at.isAfter(now.plus(skew))).orElse(false);
    }

    /** Applies a refresh reply: fields the reply lacks keep their old values (refresh tokens rotate). */
    public OAuthTokens refreshedWith(Secret newAccess, Optional<Secret> newRefresh, Optional<Secret> newId,
                                     Optional<Instant> newExpiry) {
        return new OAuthTokens(newAccess, newRefresh.or(() -> refreshToken), newId.or(() -> idToken), newExpiry);
    }
}
