package io.proxygate.domain.credential;

/**
 * Identity of a pooled credential, unique across kinds: {@code chatgpt:<email>}, {@code claude:<email>} or
 * {@code key:<id>}. Used as the key for runtime state, pins and usage rows.
 */
public record CredentialId(String value) {
    public CredentialId {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("credential id must not be blank");
        }
    }

    public static CredentialId chatgpt(String email) {
        return new CredentialId("chatgpt:" + email);
    }

    public static CredentialId claude(String email) {
        return new CredentialId("claude:" + email);
    }

    public static CredentialId apiKey(String keyId) {
        return new CredentialId("key:" + keyId);
    }

    @Override
    public String toString() {
        return value;
    }
}
