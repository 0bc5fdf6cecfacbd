package io.proxygate.application.port.out;

import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.routing.UsageWindows;

/**
 * Asks an upstream how much of a subscription account's usage windows is spent: ChatGPT's {@code wham/usage} for
 * ChatGPT accounts, Anthropic's {@code api/oauth/usage} for Claude accounts.
 */
public interface UsagePollPort {
    /** True for the credential kinds this port can poll (OAuth subscription accounts). */
    boolean supports(Credential credential);

    /** The account's current windows, read with its current access token. */
    UsageWindows fetch(Credential account) throws UsagePollException;
}
