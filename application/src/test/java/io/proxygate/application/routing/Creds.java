package io.proxygate.application.routing;

import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;

import java.util.Optional;

/** Fixture credentials with obviously fake secrets. */
public final class Creds {
    private Creds() {
    }

    public static OAuthTokens tokens(String access) {
        return new OAuthTokens(Secret.of(access), Optional.of(Secret.of("fake-refresh-token")), Optional.empty(),
                Optional.empty());
    }

    public static ChatGptAccount chatgpt(String email, PlanType plan) {
        return new ChatGptAccount(email, "acct-" + email, plan, tokens("fake-access-token-" + email), Optional.empty(),
                false);
    }

    public static ClaudeAccount claude(String email) {
        return new ClaudeAccount(email, "", "max", "", tokens("fake-claude-token-" + email), Optional.empty(), false);
    }

    public static ApiKey key(String id, ApiKeyType type) {
        return new ApiKey(id, id, type, Secret.of("sk-test-" + id), Optional.empty(), false);
    }
}
