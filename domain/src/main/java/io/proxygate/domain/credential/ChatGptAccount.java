package io.proxygate.domain.credential;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A ChatGPT (Codex) OAuth account, served by the ChatGPT backend. {@code accountId} may be empty when unknown. */
public record ChatGptAccount(String email, String accountId, PlanType plan, OAuthTokens tokens,
                             Optional<Instant> createdAt, boolean disabled) implements Credential {
    public ChatGptAccount {
        if (email == null || email.isBlank()) {
            throw new IllegalArgumentException("email is required");
        }
        Objects.requireNonNull(tokens, "tokens");
        accountId = accountId == null ? "" : accountId;
        plan = plan == null ? PlanType.UNKNOWN : plan;
        createdAt = createdAt == null ? Optional.empty() : createdAt;
    }

    @Override
    public CredentialId id() {
        return CredentialId.chatgpt(email);
    }

    @Override
    public String label() {
        return email;
    }

    @Override
    public CredentialKind kind() {
        return CredentialKind.CHATGPT_ACCOUNT;
    }

    @Override
    public ChatGptAccount withDisabled(boolean disabled) {
        return new ChatGptAccount(email, accountId, plan, tokens, createdAt, disabled);
    }

    public ChatGptAccount withTokens(OAuthTokens newTokens) {
        return new ChatGptAccount(email, accountId, plan, newTokens, createdAt, disabled);
    }

    @Override
    public String fingerprint() {
        return tokens.accessToken().fingerprint();
    }
}
