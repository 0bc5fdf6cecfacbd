package io.proxygate.domain.credential;

import java.util.Locale;
import java.util.Optional;

/** The {@code type} (or {@code provider}) of an API key file. Only three are routed. */
public enum ApiKeyType {
    OPENAI("openai", CredentialKind.OPENAI_KEY),
    AZURE_OPENAI("azure-openai", CredentialKind.OPENAI_KEY),
    ANTHROPIC("anthropic", CredentialKind.ANTHROPIC_KEY),
    GEMINI("gemini", CredentialKind.UNSUPPORTED_KEY),
    VERTEX_AI("vertex-ai", CredentialKind.UNSUPPORTED_KEY),
    MOONSHOT("moonshot", CredentialKind.UNSUPPORTED_KEY),
    MINIMAX("minimax", CredentialKind.UNSUPPORTED_KEY),
    ZHIPU("zhipu", CredentialKind.UNSUPPORTED_KEY);

    private final String wireName;
    private final CredentialKind kind;

    ApiKeyType(String wireName, CredentialKind kind) {
        this.wireName = wireName;
        this.kind = kind;
    }

    public String wireName() {
        return wireName;
    }

    public CredentialKind kind() {
        return kind;
    }

    /** Parses a file's type; blank means openai (the default); unknown text is empty. */
    public static Optional<ApiKeyType> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(OPENAI);
        }
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (ApiKeyType type : values()) {
            if (type.wireName.equals(wanted)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
