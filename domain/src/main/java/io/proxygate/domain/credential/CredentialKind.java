package io.proxygate.domain.credential;

import java.util.Set;

/** What a credential is, which APIs it serves, and the provider name used in usage records. */
public enum CredentialKind {
    CHATGPT_ACCOUNT("chatgpt-pool", true, Set.of(Api.RESPONSES)),
    CLAUDE_ACCOUNT("claude-pool", true, Set.of(Api.MESSAGES)),
    OPENAI_KEY("openai-key", false, Set.of(Api.RESPONSES, Api.CHAT_COMPLETIONS)),
    ANTHROPIC_KEY("anthropic-key", false, Set.of(Api.MESSAGES)),
    /** A key type pool files may name (gemini, moonshot, ...) that ProxyGate loads but never routes. */
    UNSUPPORTED_KEY("unsupported-key", false, Set.of());

    private final String provider;
    private final boolean account;
    private final Set<Api> apis;

    CredentialKind(String provider, boolean account, Set<Api> apis) {
        this.provider = provider;
        this.account = account;
        this.apis = apis;
    }

    /** Provider label as recorded in usage rows ({@code chatgpt-pool}, {@code openai-key}, ...). */
    public String provider() {
        return provider;
    }

    /** True for OAuth subscription accounts, false for API keys. */
    public boolean isAccount() {
        return account;
    }

    public boolean serves(Api api) {
        return apis.contains(api);
    }
}
