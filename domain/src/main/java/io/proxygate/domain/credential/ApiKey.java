package io.proxygate.domain.credential;

import java.util.Objects;
import java.util.Optional;

/** An OpenAI, Azure OpenAI or Anthropic API key; {@code baseUrl} replaces the upstream base for this key. */
public record ApiKey(String keyId, String name, ApiKeyType type, Secret key, Optional<String> baseUrl,
                     boolean disabled) implements Credential {
    public ApiKey {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("key id is required");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "api_key");
        name = name == null || name.isBlank() ? keyId : name;
        baseUrl = baseUrl == null ? Optional.empty() : baseUrl.filter(s -> !s.isBlank());
    }

    @Override
    public CredentialId id() {
        return CredentialId.apiKey(keyId);
    }

    @Override
    public String label() {
        return keyId;
    }

    @Override
    public CredentialKind kind() {
        return type.kind();
    }

    @Override
    public ApiKey withDisabled(boolean disabled) {
        return new ApiKey(keyId, name, type, key, baseUrl, disabled);
    }

    @Override
    public String fingerprint() {
        return key.fingerprint();
    }
}
