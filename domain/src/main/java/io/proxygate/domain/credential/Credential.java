package io.proxygate.domain.credential;

/** A pooled credential: a ChatGPT account, a Claude account or an API key. */
public sealed interface Credential permits ChatGptAccount, ClaudeAccount, ApiKey {
    CredentialId id();

    /** What users type and see: the email of an account or the id of a key. */
    String label();

    CredentialKind kind();

    boolean disabled();

    Credential withDisabled(boolean disabled);

    default boolean serves(Api api) {
        return kind().serves(api);
    }

    /** Short non-secret fingerprint of the credential's main secret, for logs and UIs. */
    String fingerprint();
}
