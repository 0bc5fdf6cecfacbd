package io.proxygate.adapter.out.persistence.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.application.auth.JwtClaims;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.FileNames;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import static io.proxygate.adapter.out.persistence.pool.PoolJson.firstText;
import static io.proxygate.adapter.out.persistence.pool.PoolJson.text;

/**
 * Reads credentials exported by other tools: the Go version's v1 account and key exports, the Codex CLI's
 * {@code auth.json} and Claude Code's {@code .credentials.json}. Pure parsing: nothing is written here, a bad
 * entry is reported and skipped, and only a file that is unusable as a whole throws.
 */
public final class CredentialImports {
    private final InstantSource clock;

    /** @param clock stamps {@code created_at} on imported accounts */
    public CredentialImports(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * ChatGPT accounts from the Go version's v1 export ({@code {"accounts":[...]}}) or from Codex's
     * {@code ~/.codex/auth.json} ({@code {"tokens":{...}}}). Email, account id and plan missing from the file are
     * taken from the tokens' claims.
     */
    public ImportResult v1Accounts(Path file) {
        JsonNode root = readJson(file);
        if (root.path("accounts").isArray()) {
            return v1Export(root.path("accounts"));
        }
        if (root.has("tokens")) {
            return codexAuth(root);
        }
        throw new CredentialImportException(file + " is neither a v1 accounts export ({\"accounts\": [...]}) "
                + "nor a Codex auth.json ({\"tokens\": {...}})");
    }

    private ImportResult v1Export(JsonNode accounts) {
        Instant now = clock.instant();
        return eachEntry(accounts, entry -> text(entry, "email"), (entry, importedSoFar) -> {
            Secret access = text(entry, "accessToken").map(Secret::of)
                    .orElseThrow(() -> new PoolFormatException("missing accessToken"));
            Optional<Secret> idToken = text(entry, "idToken").map(Secret::of);
            Optional<Instant> expiresAt = epochMillis(entry.get("expiresAt"))
                    .or(() -> JwtClaims.parse(access.reveal()).flatMap(JwtClaims::expiresAt));
            return chatGpt(text(entry, "email"), text(entry, "accountId"),
                    text(entry, "planType"), new OAuthTokens(access,
                            text(entry, "refreshToken").map(Secret::of), idToken, expiresAt), now);
        });
    }

    /** Reads one entry of an export; refuses it with a {@link PoolFormatException} or IllegalArgumentException. */
    private interface EntryReader {
        Credential read(JsonNode entry, int importedSoFar);
    }

    /**
     * Imports each entry of an export's array. An entry that is not an object or cannot be read is skipped with its
     * reason, named by its position and, when {@code name} finds one, its name ({@code entry 3 (bob@example.com)}).
     */
    private static ImportResult eachEntry(JsonNode entries, Function<JsonNode, Optional<String>> name,
                                          EntryReader reader) {
        List<Credential> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : entries) {
            index++;
            String label = "entry " + index;
            try {
                if (!entry.isObject()) {
                    throw new PoolFormatException("not a JSON object");
                }
                label = label + name.apply(entry).map(n -> " (" + n + ")").orElse("");
                out.add(reader.read(entry, out.size()));
            } catch (PoolFormatException | IllegalArgumentException e) {
                skipped.add(label + ": " + e.getMessage());
            }
        }
        return new ImportResult(out, skipped);
    }

    private ImportResult codexAuth(JsonNode root) {
        JsonNode tokens = root.get("tokens");
        try {
            if (tokens == null || !tokens.isObject()) {
                throw new PoolFormatException("no ChatGPT tokens (\"tokens\" is empty; an API-key login cannot be pooled)");
            }
            Secret access = text(tokens, "access_token").map(Secret::of)
                    .orElseThrow(() -> new PoolFormatException("missing tokens.access_token"));
            Optional<Instant> expiresAt = JwtClaims.parse(access.reveal()).flatMap(JwtClaims::expiresAt);
            OAuthTokens oauth = new OAuthTokens(access, text(tokens, "refresh_token").map(Secret::of),
                    text(tokens, "id_token").map(Secret::of), expiresAt);
            return new ImportResult(List.of(chatGpt(Optional.empty(), text(tokens, "account_id"), Optional.empty(),
                    oauth, clock.instant())), List.of());
        } catch (PoolFormatException | IllegalArgumentException e) {
            return new ImportResult(List.of(), List.of("Codex auth.json: " + e.getMessage()));
        }
    }

    private static ChatGptAccount chatGpt(Optional<String> email, Optional<String> accountId, Optional<String> plan,
                                          OAuthTokens tokens, Instant now) {
        Secret access = tokens.accessToken();
        Optional<Secret> idToken = tokens.idToken();
        String resolvedEmail = email.or(() -> PoolFileCodec.fromClaims(access, idToken, JwtClaims::email))
                .orElseThrow(() -> new PoolFormatException("missing email (not in the entry nor in the token's claims)"));
        String resolvedAccount = accountId
                .or(() -> PoolFileCodec.fromClaims(access, idToken, JwtClaims::chatGptAccountId)).orElse("");
        PlanType resolvedPlan = PlanType.parse(plan.map(p -> p.toLowerCase(Locale.ROOT))
                .or(() -> PoolFileCodec.fromClaims(access, idToken, JwtClaims::chatGptPlanType)).orElse(""));
        rejectDead(tokens, now);
        return new ChatGptAccount(resolvedEmail, resolvedAccount, resolvedPlan, tokens, Optional.of(now), false);
    }

    /**
     * API keys from the Go version's v1 key export: {@code {"keys":[...]}} or a bare array of
     * {@code {id, name, type, apiKey, baseUrl}}. Entries may also be spelled as pool files are ({@code api_key},
     * {@code base_url}, {@code provider}), so a key file from {@code pool/apikeys/} can be pasted into a list as it
     * is. A missing id becomes the lower-cased name (minus one leading space), else {@code imported-<n>}; a missing
     * type is openai; an empty key is skipped.
     */
    public ImportResult apiKeys(Path file) {
        JsonNode root = readJson(file);
        JsonNode keys = root.isArray() ? root : root.path("keys");
        if (!keys.isArray()) {
            throw new CredentialImportException(file + " is not a v1 key export ({\"keys\": [...]} or an array)");
        }
        return eachEntry(keys, entry -> text(entry, "id").or(() -> rawText(entry, "name")).map(String::trim),
                (entry, importedSoFar) -> {
                    Optional<String> name = rawText(entry, "name");
                    Optional<String> id = text(entry, "id");
                    Secret key = text(entry, "apiKey").or(() -> text(entry, "api_key")).map(Secret::of)
                            .orElseThrow(() -> new PoolFormatException("empty apiKey"));
                    String keyId = id.orElseGet(() -> {
                        String fromName = name.map(n -> n.startsWith(" ") ? n.substring(1) : n)
                                .map(n -> n.toLowerCase(Locale.ROOT)).orElse("");
                        return fromName.isBlank() ? "imported-" + (importedSoFar + 1) : fromName;
                    });
                    FileNames.sanitize(keyId); // the key must be storable under its id
                    ApiKeyType type = PoolFileCodec.apiKeyType(firstText(entry, "type", "provider"));
                    return new ApiKey(keyId, name.map(String::trim).orElse(keyId), type, key,
                            PoolFileCodec.baseUrl(text(entry, "baseUrl").or(() -> text(entry, "base_url"))), false);
                });
    }

    /**
     * One Claude account from ProxyGate's own account file, a flat {@code {email, access_token, ...}} file, or
     * Claude Code's {@code {"claudeAiOauth": {...}}}; for each field the first non-blank source wins.
     *
     * @param emailOverride replaces the file's email (Claude Code's file has none)
     */
    public ImportResult claude(Path file, Optional<String> emailOverride) {
        JsonNode root = readJson(file);
        if (!root.isObject()) {
            throw new CredentialImportException(file + " is not a JSON object");
        }
        return claude(root, emailOverride);
    }

    /** As {@link #claude(Path, Optional)}, for a JSON object already read (an upload). */
    ImportResult claude(JsonNode root, Optional<String> emailOverride) {
        JsonNode oauth = root.path("claudeAiOauth").isObject() ? root.get("claudeAiOauth") : PoolJson.MAPPER.createObjectNode();
        try {
            String email = emailOverride.filter(e -> !e.isBlank()).map(String::trim)
                    .or(() -> text(root, "email")).or(() -> text(oauth, "email"))
                    .orElseThrow(() -> new PoolFormatException("missing email; pass --email=you@example.com"));
            Secret access = text(root, "access_token").or(() -> text(oauth, "accessToken")).map(Secret::of)
                    .orElseThrow(() -> new PoolFormatException("missing access token"));
            Optional<Secret> refresh = text(root, "refresh_token").or(() -> text(oauth, "refreshToken"))
                    .map(Secret::of);
            JsonNode expires = present(root.get("expires_at")) ? root.get("expires_at") : oauth.get("expiresAt");
            Instant now = clock.instant();
            OAuthTokens tokens = new OAuthTokens(access, refresh, Optional.empty(), PoolJson.flexibleTime(expires));
            rejectDead(tokens, now);
            Optional<Instant> createdAt = PoolJson.flexibleTime(root.get("created_at")).or(() -> Optional.of(now));
            ClaudeAccount account = new ClaudeAccount(email,
                    text(root, "account_id").or(() -> text(oauth, "accountId")).orElse(""),
                    text(root, "subscription_type").or(() -> text(oauth, "subscriptionType")).orElse(""),
                    text(root, "rate_limit_tier").or(() -> text(oauth, "rateLimitTier")).orElse(""),
                    tokens, createdAt, root instanceof ObjectNode o && PoolJson.flag(o, "disabled"));
            return new ImportResult(List.of(account), List.of());
        } catch (PoolFormatException | IllegalArgumentException e) {
            return new ImportResult(List.of(), List.of("Claude credentials: " + e.getMessage()));
        }
    }

    /** An account that cannot be refreshed and whose token already expired would only land as a broken file. */
    private static void rejectDead(OAuthTokens tokens, Instant now) {
        if (tokens.refreshToken().isEmpty() && tokens.expiresAt().filter(at -> !at.isAfter(now)).isPresent()) {
            throw new PoolFormatException("access token expired at " + tokens.expiresAt().get()
                    + " and there is no refresh token: log in again");
        }
    }

    private static Optional<Instant> epochMillis(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isNumber()) {
            throw new PoolFormatException("expiresAt must be epoch milliseconds or null");
        }
        return node.asLong() > 0 ? Optional.of(Instant.ofEpochMilli(node.asLong())) : Optional.empty();
    }

    /** A string field as written (not trimmed): the id rule depends on a leading space. */
    private static Optional<String> rawText(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new PoolFormatException("\"" + field + "\" must be a string");
        }
        return node.asText().isBlank() ? Optional.empty() : Optional.of(node.asText());
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    private static JsonNode readJson(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(16 * PoolJson.MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new CredentialImportException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
        if (bytes.length > 16 * PoolJson.MAX_FILE_BYTES) {
            throw new CredentialImportException(file + " is larger than 16 MiB; not a credential export");
        }
        try {
            return PoolJson.readTree(bytes);
        } catch (PoolFormatException e) {
            throw new CredentialImportException(file + ": " + e.getMessage());
        }
    }
}
