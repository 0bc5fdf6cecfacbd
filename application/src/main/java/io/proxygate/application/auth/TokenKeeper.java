package io.proxygate.application.auth;

import io.proxygate.domain.credential.Credential;

/**
 * Keeps OAuth account tokens usable. Refreshes are single-flight per account and the new tokens are written to the
 * account's file before they are returned. API keys pass through unchanged.
 */
public interface TokenKeeper {
    /** Returns the credential with tokens that do not expire within the configured skew, refreshing if needed. */
    Credential ensureFresh(Credential credential) throws CredentialUnavailable;

    /**
     * The upstream answered 401 with {@code rejected}'s token: refresh once (callers racing on the same token
     * share one refresh) and return the credential with the new token.
     */
    Credential refreshAfterUnauthorized(Credential rejected) throws CredentialUnavailable;

    /** For pools without OAuth support: tokens are used as they are and a 401 cannot be cured. */
    TokenKeeper AS_IS = new TokenKeeper() {
        @Override
        public Credential ensureFresh(Credential credential) {
            return credential;
        }

        @Override
        public Credential refreshAfterUnauthorized(Credential rejected) throws CredentialUnavailable {
            throw new CredentialUnavailable("token refresh is not available", true);
        }
    };
}
