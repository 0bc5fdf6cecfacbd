package io.proxygate.application.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * What a ChatGPT token says about its account (decoded by the adapter, signatures unchecked): email
 * ({@code ["https://api.openai.com/profile"].email} or top-level {@code email}), account id and plan
 * ({@code ["https://api.openai.com/auth"].chatgpt_account_id / chatgpt_plan_type}) and the access token's {@code exp}.
 */
public record TokenClaims(Optional<String> email, Optional<String> accountId, Optional<String> planType,
                          Optional<Instant> expiresAt) {
    public static final TokenClaims NONE = new TokenClaims(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public TokenClaims {
        email = blankToEmpty(email);
        accountId = blankToEmpty(accountId);
        planType = blankToEmpty(planType);
        expiresAt = expiresAt == null ? Optional.empty() : expiresAt;
    }

    private static Optional<String> blankToEmpty(Optional<String> value) {
        return value == null ? Optional.empty() : value.map(String::trim).filter(s -> !s.isEmpty());
    }
}
