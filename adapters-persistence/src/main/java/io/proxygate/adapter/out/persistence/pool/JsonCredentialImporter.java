package io.proxygate.adapter.out.persistence.pool;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.application.port.out.CredentialImportPort;
import io.proxygate.domain.credential.ClaudeAccount;

import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Imports uploaded credentials (the admin API's "Import JSON"): checks that an email and an access token are there,
 * with fixed error texts ({@code missing email field}, ...), then parses with {@link CredentialImports}, so an
 * upload and {@code add-claude-account --from} accept the same files.
 */
public final class JsonCredentialImporter implements CredentialImportPort {
    /** Upload limit: a credentials file is a few KiB, so more is a wrong file. */
    public static final int MAX_BYTES = 64 * 1024;

    private final CredentialImports imports;

    public JsonCredentialImporter(InstantSource clock) {
        this.imports = new CredentialImports(Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public ClaudeAccount claudeAccount(byte[] json) throws ImportRejected {
        if (json == null || json.length == 0) {
            throw new ImportRejected("invalid JSON");
        }
        if (json.length > MAX_BYTES) {
            throw new ImportRejected("JSON larger than 64 KiB");
        }
        JsonNode root;
        try {
            root = PoolJson.readTree(json);
        } catch (PoolFormatException e) {
            throw new ImportRejected("invalid JSON");
        }
        if (!root.isObject()) {
            throw new ImportRejected("invalid JSON");
        }
        JsonNode oauth = root.path("claudeAiOauth");
        if (!hasText(root, "email") && !hasText(oauth, "email")) {
            throw new ImportRejected("missing email field");
        }
        if (!hasText(root, "access_token") && !hasText(oauth, "accessToken")) {
            throw new ImportRejected("missing access_token field");
        }
        ImportResult result = imports.claude(root, Optional.empty());
        if (result.credentials().isEmpty()) {
            String why = result.skipped().isEmpty() ? "not a Claude credentials file" : result.skipped().get(0);
            throw new ImportRejected(why);
        }
        return (ClaudeAccount) result.credentials().get(0);
    }

    private static boolean hasText(JsonNode object, String field) {
        JsonNode node = object.get(field);
        return node != null && node.isTextual() && !node.asText().isBlank();
    }
}
