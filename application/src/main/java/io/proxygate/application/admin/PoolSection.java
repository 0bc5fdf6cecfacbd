package io.proxygate.application.admin;

import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;

/** The three lists of the pool as the admin API and the dashboard show them. */
public enum PoolSection {
    CHATGPT("account not found"),
    CLAUDE("claude account not found"),
    KEYS("key not found");

    private final String notFound;

    PoolSection(String notFound) {
        this.notFound = notFound;
    }

    /** The 404 text for an unknown id in this section (fixed: clients match it). */
    public String notFoundMessage() {
        return notFound;
    }

    /** The credential id for what a user types in this section: an email or a key id. */
    public CredentialId idFor(String label) {
        return switch (this) {
            case CHATGPT -> CredentialId.chatgpt(label);
            case CLAUDE -> CredentialId.claude(label);
            case KEYS -> CredentialId.apiKey(label);
        };
    }

    public static PoolSection of(Credential credential) {
        return switch (credential) {
            case ChatGptAccount a -> CHATGPT;
            case ClaudeAccount a -> CLAUDE;
            case ApiKey k -> KEYS;
        };
    }
}
