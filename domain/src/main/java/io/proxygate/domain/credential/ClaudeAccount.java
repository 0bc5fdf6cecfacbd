package io.proxygate.domain.credential;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A Claude Code OAuth account, served by the Anthropic Messages API with a bearer token. */
public record ClaudeAccount(String email, String accountId, String subscriptionType, String rateLimitTier,
                            OAuthTokens tokens, Optional<Instant> createdAt, boolean disabled) implements Credential {
    public ClaudeAccount {
        if (email == null || email.isBlank()) {
            throw new IllegalArgumentException("email is required");
        }
        Objects.requireNonNull(tokens, "tokens");
        accountId = accountId == null ? "" : accountId;
        subscriptionType = subscriptionType == null ? "" : subscriptionType;
        rateLimitTier = rateLimitTier == null ? "" : rateLimitTier;
        createdAt = createdAt == null ? Optional.empty() : createdAt;
    }

    @Override
    public CredentialId id() {
        return CredentialId.claude(email);
    }

    @Override
    public String label() {
        return email;
    }

    @Override
    public CredentialKind kind() {
        return CredentialKind.CLAUDE_ACCOUNT;
    }

    @Override
    public ClaudeAccount withDisabled(boolean disabled) {
        return new ClaudeAccount(email, accountId, subscriptionType, rateLimitTier, tokens, createdAt, disabled);
    }

    public ClaudeAccount withTokens(OAuthTokens newTokens) {
        return new ClaudeAccount(email, accountId, subscriptionType, rateLimitTier, newTokens, createdAt, disabled);
    }

    @Override
    public String fingerprint() {
        return tokens.accessToken().fingerprint();
    }
}
