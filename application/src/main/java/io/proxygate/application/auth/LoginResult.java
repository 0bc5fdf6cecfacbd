package io.proxygate.application.auth;

import io.proxygate.domain.credential.Credential;

import java.util.Objects;

/**
 * A completed login.
 *
 * @param account          the saved account (a {@code ChatGptAccount} or {@code ClaudeAccount})
 * @param file             the pool file it was written to
 * @param replacedExisting true when an account with the same email was already in the pool and got new tokens
 */
public record LoginResult(Credential account, String file, boolean replacedExisting) {
    public LoginResult {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(file, "file");
    }
}
