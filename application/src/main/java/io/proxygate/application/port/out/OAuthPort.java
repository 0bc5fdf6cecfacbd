package io.proxygate.application.port.out;

import io.proxygate.application.auth.ClaudeProfile;
import io.proxygate.application.auth.DeviceAuthorization;
import io.proxygate.application.auth.DeviceCode;
import io.proxygate.application.auth.OAuthCallException;
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

    /** ChatGPT refresh; each token of the reply is optional (absent ones are kept by the caller). */
    TokenGrant refreshChatGpt(Secret refreshToken) throws OAuthCallException;

    /** Claude refresh (JSON). */
    TokenGrant refreshClaude(Secret refreshToken) throws OAuthCallException;

    /** ChatGPT refresh made for {@code account}: adapters send it through that account's outbound proxy. */
    default TokenGrant refreshChatGpt(CredentialId account, Secret refreshToken) throws OAuthCallException {
        return refreshChatGpt(refreshToken);
    }

    /** Claude refresh made for {@code account}: adapters send it through that account's outbound proxy. */
    default TokenGrant refreshClaude(CredentialId account, Secret refreshToken) throws OAuthCallException {
        return refreshClaude(refreshToken);
    }

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
