package io.proxygate.application.admin;

import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.BaseUrls;
import io.proxygate.domain.credential.CredentialKind;
import io.proxygate.domain.credential.FileNames;
import io.proxygate.domain.credential.Secret;

import java.util.Optional;

/**
 * A request to add an API key, validated on construction: the id doubles as the file name, so it may only hold
 * {@code [A-Za-z0-9._-]}; the type must be one ProxyGate routes; a base URL must pass {@link BaseUrls}.
 * Invalid input throws {@link AdminFailure} of kind {@code INVALID} (never echoing the key).
 */
public record AddApiKey(String id, Optional<String> name, ApiKeyType type, Secret key, Optional<String> baseUrl) {
    private static final int MAX_ID = 100;

    public AddApiKey {
        if (id == null || id.isBlank()) {
            throw invalid("id is required");
        }
        id = id.trim();
        if (id.length() > MAX_ID) {
            throw invalid("id is longer than " + MAX_ID + " characters");
        }
        String stem;
        try {
            stem = FileNames.sanitize(id);
        } catch (IllegalArgumentException e) {
            throw invalid(id.startsWith(".") ? "id must not start with '.' (such files are hidden from the pool)"
                    : "id may only contain letters, digits, '.', '_' and '-'");
        }
        if (!stem.equals(id)) {
            throw invalid("id may only contain letters, digits, '.', '_' and '-'");
        }
        if (type == null || type.kind() == CredentialKind.UNSUPPORTED_KEY) {
            throw invalid("type must be openai, azure-openai or anthropic");
        }
        if (key == null) {
            throw invalid("api_key is required");
        }
        name = name == null ? Optional.empty() : name.map(String::trim).filter(n -> !n.isEmpty());
        if (name.filter(n -> n.length() > 200).isPresent()) {
            throw invalid("name is longer than 200 characters");
        }
        baseUrl = baseUrl == null ? Optional.empty() : baseUrl.map(String::trim).filter(u -> !u.isEmpty());
        baseUrl.ifPresent(AddApiKey::checkUrl);
    }

    /** Parses the raw fields of a form or JSON body. */
    public static AddApiKey of(String id, String name, String type, String apiKey, String baseUrl) {
        // A blank type means openai, the default key type (key files may leave it out).
        ApiKeyType parsed = ApiKeyType.parse(type).orElseThrow(() -> invalid("unknown type: " + clip(type)));
        if (apiKey == null || apiKey.isBlank()) {
            throw invalid("api_key is required");
        }
        String trimmed = apiKey.trim();
        if (trimmed.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw invalid("api_key must not contain spaces or control characters");
        }
        return new AddApiKey(id, Optional.ofNullable(name), parsed, Secret.of(trimmed), Optional.ofNullable(baseUrl));
    }

    public ApiKey toCredential() {
        return new ApiKey(id, name.orElse(null), type, key, baseUrl, false);
    }

    private static void checkUrl(String url) {
        BaseUrls.problem(url).ifPresent(problem -> {
            throw invalid(problem);
        });
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static AdminFailure invalid(String message) {
        return new AdminFailure(AdminFailure.Kind.INVALID, message);
    }
}
