package io.proxygate.application.port.out;

import io.proxygate.application.auth.ClaudeProfile;
import io.proxygate.application.auth.DeviceAuthorization;
import io.proxygate.application.auth.DeviceCode;
import io.proxygate.application.auth.OAuthCallException;
import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.application.auth.TokenGrant;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.Secret;

import java.util.Optional;

/**
 * The providers' OAuth endpoints: code exchange, refresh, the Claude profile and the ChatGPT device-code steps.
 * Implementations decode JWT claims themselves (the application does not parse JSON) and report failures as
 * {@link OAuthCallException}s that say whether only a new login can help.
 */
public interface OAuthPort {
    /** ChatGPT authorization-code exchange (form-encoded); claims come from the access token, then the id token. */
    TokenGrant exchangeChatGptCode(String code, String verifier, String redirectUri) throws OAuthCallException;

    /** Claude authorization-code exchange (JSON, including {@code state}). Claude tokens carry no claims. */
    TokenGrant exchangeClaudeCode(String code, String verifier, String redirectUri, String state)
            throws OAuthCallException;

    /**
     * Refresh at {@code provider}'s token endpoint (ChatGPT form-encoded, Claude JSON); each token of the reply is
     * optional (absent ones are kept by the caller). A refresh made for an {@code account} goes through that
     * account's outbound proxy.
     */
    TokenGrant refresh(OAuthProvider provider, Optional<CredentialId> account, Secret refreshToken)
            throws OAuthCallException;

    /** {@code GET /api/oauth/profile} with the new access token: email, account id, subscription, tier. */
    ClaudeProfile fetchClaudeProfile(Secret accessToken) throws OAuthCallException;

    /** Step 1 of the ChatGPT device-code login: ask for a user code. */
    DeviceCode requestChatGptDeviceCode() throws OAuthCallException;

    /**
     * One poll of the ChatGPT device-code login: empty while the user has not approved yet, else the authorization
     * code and verifier to exchange with {@link #exchangeChatGptCode}.
     */
    Optional<DeviceAuthorization> pollChatGptDeviceCode(DeviceCode code) throws OAuthCallException;
}
