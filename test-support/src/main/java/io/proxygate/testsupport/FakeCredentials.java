package io.proxygate.testsupport;

import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;

import java.util.Optional;

/** Fixture credentials with obviously fake secrets. */
public final class FakeCredentials {
    private FakeCredentials() {
    }

    public static OAuthTokens tokens(String access) {
        return new OAuthTokens(Secret.of(access), Optional.of(Secret.of("fake-refresh-token")), Optional.empty(),
                Optional.empty());
    }

    public static ChatGptAccount chatgpt(String email, PlanType plan) {
        return chatgpt(email, plan, "fake-access-token-" + email);
    }

    public static ChatGptAccount chatgpt(String email, PlanType plan, String accessToken) {
        return new ChatGptAccount(email, "acct-" + email, plan, tokens(accessToken), Optional.empty(), false);
    }

    public static ClaudeAccount claude(String email) {
        return claude(email, "fake-claude-token-" + email);
    }

    public static ClaudeAccount claude(String email, String accessToken) {
        return new ClaudeAccount(email, "", "max", "", tokens(accessToken), Optional.empty(), false);
    }

    public static ApiKey key(String id, ApiKeyType type) {
        return new ApiKey(id, id, type, Secret.of("sk-test-" + id), Optional.empty(), false);
    }

    /** The secret a credential presents upstream: its access token, or the API key itself. */
    public static String accessToken(Credential credential) {
        return switch (credential) {
            case ChatGptAccount a -> a.tokens().accessToken().reveal();
            case ClaudeAccount a -> a.tokens().accessToken().reveal();
            case ApiKey k -> k.key().reveal();
        };
    }
}
