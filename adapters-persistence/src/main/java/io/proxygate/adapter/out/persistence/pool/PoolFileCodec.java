package io.proxygate.adapter.out.persistence.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.application.auth.JwtClaims;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.BaseUrls;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialControls;
import io.proxygate.domain.credential.OutboundProxy;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.proxygate.adapter.out.persistence.pool.PoolJson.firstText;
import static io.proxygate.adapter.out.persistence.pool.PoolJson.flag;
import static io.proxygate.adapter.out.persistence.pool.PoolJson.putOrRemove;
import static io.proxygate.adapter.out.persistence.pool.PoolJson.text;
import static io.proxygate.adapter.out.persistence.pool.PoolJson.time;

/**
 * Maps the pool's JSON files to credentials and back, field names unchanged since the Go version. Reading is
 * tolerant of older files (Go zero times, {@code provider} for {@code type}, facts only present in the token's
 * claims); writing updates known fields in place and leaves every other field of the file as it was.
 */
final class PoolFileCodec {
    private static final String KNOWN_TYPES = Arrays.stream(ApiKeyType.values())
            .map(ApiKeyType::wireName).collect(Collectors.joining(", "));

    private PoolFileCodec() {
    }

    /**
     * Reads one file's object.
     *
     * @param stem the file name without {@code .json} (the default key id)
     * @param now  for rejecting expired tokens that cannot be refreshed
     * @throws PoolFormatException with the reason the file cannot be used
     */
    static Credential parse(PoolFolder folder, String stem, ObjectNode json, Instant now) {
        return switch (folder) {
            case CHATGPT -> chatGpt(json, now);
            case CLAUDE -> claude(json, now);
            case APIKEYS -> apiKey(json, stem);
        };
    }

    static ChatGptAccount chatGpt(ObjectNode json, Instant now) {
        Secret access = text(json, "access_token").map(Secret::of)
                .orElseThrow(() -> new PoolFormatException("missing access_token"));
        Optional<Secret> idToken = text(json, "id_token").map(Secret::of);
        Function<Function<JwtClaims, Optional<String>>, Optional<String>> claim =
                getter -> fromClaims(access, idToken, getter);
        String email = text(json, "email").or(() -> claim.apply(JwtClaims::email))
                .orElseThrow(() -> new PoolFormatException("missing email (not in the file nor in the token's claims)"));
        String accountId = text(json, "account_id").or(() -> claim.apply(JwtClaims::chatGptAccountId)).orElse("");
        PlanType plan = PlanType.parse(text(json, "plan_type").or(() -> claim.apply(JwtClaims::chatGptPlanType))
                .orElse(""));
        Optional<Instant> expiresAt = time(json, "expires_at")
                .or(() -> JwtClaims.parse(access.reveal()).flatMap(JwtClaims::expiresAt));
        OAuthTokens tokens = new OAuthTokens(access, text(json, "refresh_token").map(Secret::of), idToken, expiresAt);
        requireUsable(tokens, now);
        return new ChatGptAccount(email, accountId, plan, tokens, time(json, "created_at"), flag(json, "disabled"));
    }

    static ClaudeAccount claude(ObjectNode json, Instant now) {
        String email = text(json, "email").orElseThrow(() -> new PoolFormatException("missing email"));
        Secret access = text(json, "access_token").map(Secret::of)
                .orElseThrow(() -> new PoolFormatException("missing access_token"));
        OAuthTokens tokens = new OAuthTokens(access, text(json, "refresh_token").map(Secret::of), Optional.empty(),
                time(json, "expires_at"));
        requireUsable(tokens, now);
        return new ClaudeAccount(email, text(json, "account_id").orElse(""),
                text(json, "subscription_type").orElse(""), text(json, "rate_limit_tier").orElse(""), tokens,
                time(json, "created_at"), flag(json, "disabled"));
    }

    static ApiKey apiKey(ObjectNode json, String stem) {
        Secret key = text(json, "api_key").map(Secret::of)
                .orElseThrow(() -> new PoolFormatException("missing api_key"));
        ApiKeyType type = apiKeyType(firstText(json, "type", "provider"));
        String id = text(json, "id").orElse(stem);
        return new ApiKey(id, text(json, "name").orElse(id), type, key, baseUrl(text(json, "base_url")),
                flag(json, "disabled"));
    }

    /**
     * The operator's per-credential controls: {@code proxy}, {@code max_concurrent}, {@code models},
     * {@code exclude_models} and {@code priority}, all optional. They are never written back by {@link #write}, so a
     * rewrite (token refresh, disable) keeps them exactly as the operator wrote them.
     *
     * @throws PoolFormatException naming the bad field (never echoing a proxy password)
     */
    static CredentialControls controls(ObjectNode json) {
        Optional<OutboundProxy> proxy;
        try {
            proxy = text(json, "proxy").map(OutboundProxy::parse);
        } catch (IllegalArgumentException e) {
            throw new PoolFormatException("bad proxy: " + e.getMessage());
        }
        int maxConcurrent = wholeNumber(json, "max_concurrent", 0);
        if (maxConcurrent < 0) {
            throw new PoolFormatException("max_concurrent must be 0 (no cap) or more");
        }
        return new CredentialControls(proxy, maxConcurrent, globs(json, "models"), globs(json, "exclude_models"),
                wholeNumber(json, "priority", 0));
    }

    private static int wholeNumber(ObjectNode json, String field, int absent) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual() && node.asText().strip().matches("-?[0-9]{1,9}")) {
            return Integer.parseInt(node.asText().strip());
        }
        throw new PoolFormatException(field + " must be a whole number");
    }

    /** A list of globs, or one glob as a string, or a comma-separated string. */
    private static List<String> globs(ObjectNode json, String field) {
        JsonNode node = json.get(field);
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isTextual()) {
            for (String part : node.asText().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
            return out;
        }
        if (!node.isArray()) {
            throw new PoolFormatException(field + " must be a list of model names or globs");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new PoolFormatException(field + " must be a list of model names or globs");
            }
            if (!item.asText().isBlank()) {
                out.add(item.asText().strip());
            }
        }
        return out;
    }

    /** A base URL the relay may use, or a problem that skips the file (or import entry) with the reason. */
    static Optional<String> baseUrl(Optional<String> url) {
        url.flatMap(BaseUrls::problem).ifPresent(problem -> {
            throw new PoolFormatException(problem);
        });
        return url;
    }

    /** Blank means openai (the default key type); unknown text is a problem, not a silent default. */
    static ApiKeyType apiKeyType(Optional<String> text) {
        return ApiKeyType.parse(text.orElse("")).orElseThrow(() -> new PoolFormatException(
                "unknown type \"" + shorten(text.orElse("")) + "\" (known: " + KNOWN_TYPES + ")"));
    }

    /** An account whose token is expired and cannot be refreshed is useless until its owner logs in again. */
    private static void requireUsable(OAuthTokens tokens, Instant now) {
        if (tokens.refreshToken().isEmpty() && tokens.expiresAt().filter(at -> !at.isAfter(now)).isPresent()) {
            throw new PoolFormatException("access token expired at " + tokens.expiresAt().get()
                    + " and there is no refresh_token: log in again");
        }
    }

    /** A claim from the access token, else from the id token. */
    static Optional<String> fromClaims(Secret access, Optional<Secret> idToken,
                                       Function<JwtClaims, Optional<String>> getter) {
        return JwtClaims.parse(access.reveal()).flatMap(getter)
                .or(() -> idToken.flatMap(t -> JwtClaims.parse(t.reveal())).flatMap(getter));
    }

    /** Writes {@code credential}'s fields into {@code node} (a fresh object or the file's current content). */
    static ObjectNode write(Credential credential, ObjectNode node) {
        switch (credential) {
            case ChatGptAccount a -> {
                node.put("email", a.email());
                if (!a.accountId().isBlank()) {
                    node.put("account_id", a.accountId());
                }
                // An unknown plan keeps whatever text the file had: this version may not know a newer plan name.
                if (a.plan() != PlanType.UNKNOWN || !node.has("plan_type")) {
                    node.put("plan_type", a.plan() == PlanType.UNKNOWN ? "" : a.plan().wireName());
                }
                writeTokens(node, a.tokens(), true);
                putOrRemove(node, "created_at", a.createdAt().map(Instant::toString));
            }
            case ClaudeAccount a -> {
                node.put("email", a.email());
                putOrRemove(node, "account_id", nonBlank(a.accountId()));
                putOrRemove(node, "subscription_type", nonBlank(a.subscriptionType()));
                putOrRemove(node, "rate_limit_tier", nonBlank(a.rateLimitTier()));
                writeTokens(node, a.tokens(), false);
                putOrRemove(node, "created_at", a.createdAt().map(Instant::toString));
            }
            case ApiKey k -> {
                node.put("id", k.keyId());
                if (node.has("name") || !k.name().equals(k.keyId())) {
                    node.put("name", k.name());
                }
                // Keep the user's spelling: a file that says "provider" goes on saying it.
                node.put(node.has("provider") && !node.has("type") ? "provider" : "type", k.type().wireName());
                node.put("api_key", k.key().reveal());
                putOrRemove(node, "base_url", k.baseUrl());
            }
        }
        if (credential.disabled()) {
            node.put("disabled", true);
        } else {
            node.remove("disabled");
        }
        return node;
    }

    private static void writeTokens(ObjectNode node, OAuthTokens tokens, boolean withIdToken) {
        node.put("access_token", tokens.accessToken().reveal());
        putOrRemove(node, "refresh_token", tokens.refreshToken().map(Secret::reveal));
        if (withIdToken) {
            putOrRemove(node, "id_token", tokens.idToken().map(Secret::reveal));
        }
        putOrRemove(node, "expires_at", tokens.expiresAt().map(Instant::toString));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
