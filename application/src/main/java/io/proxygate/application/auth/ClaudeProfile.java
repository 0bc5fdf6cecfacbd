package io.proxygate.application.auth;

import java.util.Optional;

/** The Claude account behind an access token, from {@code /api/oauth/profile}; unknown fields are empty strings. */
public record ClaudeProfile(Optional<String> email, String accountId, String subscriptionType, String rateLimitTier) {
    public ClaudeProfile {
        email = email == null ? Optional.empty() : email.map(String::trim).filter(s -> !s.isEmpty());
        accountId = accountId == null ? "" : accountId;
        subscriptionType = subscriptionType == null ? "" : subscriptionType;
        rateLimitTier = rateLimitTier == null ? "" : rateLimitTier;
    }
}
