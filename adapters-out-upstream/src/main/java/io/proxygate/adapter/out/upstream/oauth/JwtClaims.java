package io.proxygate.adapter.out.upstream.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.auth.TokenClaims;

import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the claims ProxyGate needs from a ChatGPT JWT's payload. No signature check: the token came straight from
 * the issuer over TLS and is only used to label the account.
 */
final class JwtClaims {
    private static final String AUTH = "https://api.openai.com/auth";
    private static final String PROFILE = "https://api.openai.com/profile";

    private JwtClaims() {
    }

    /** Claims of the access token, with gaps filled from the id token (which carries the same namespaces). */
    static TokenClaims of(ObjectMapper json, String accessToken, Optional<String> idToken) {
        JsonNode access = payload(json, accessToken);
        JsonNode id = idToken.map(t -> payload(json, t)).orElse(null);
        return new TokenClaims(
                email(access).or(() -> email(id)),
                accountId(access).or(() -> accountId(id)),
                text(access, AUTH, "chatgpt_plan_type").or(() -> text(id, AUTH, "chatgpt_plan_type")),
                expiry(access));
    }

    static JsonNode payload(ObjectMapper json, String token) {
        if (token == null) {
            return null;
        }
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            String part = parts[1];
            while (part.endsWith("=")) {
                part = part.substring(0, part.length() - 1);
            }
            JsonNode node = json.readTree(Base64.getUrlDecoder().decode(part));
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null; // not a JWT: no claims
        }
    }

    private static Optional<String> email(JsonNode claims) {
        return text(claims, PROFILE, "email").or(() -> text(claims, null, "email"));
    }

    private static Optional<String> accountId(JsonNode claims) {
        Optional<String> id = text(claims, AUTH, "chatgpt_account_id").or(() -> text(claims, null, "chatgpt_account_id"));
        if (id.isPresent() || claims == null) {
            return id;
        }
        JsonNode orgs = claims.path(AUTH).path("organizations");
        if (!orgs.isArray() || orgs.isEmpty()) {
            orgs = claims.path("organizations");
        }
        return orgs.isArray() && !orgs.isEmpty() ? nonBlank(orgs.get(0).path("id")) : Optional.empty();
    }

    private static Optional<Instant> expiry(JsonNode claims) {
        if (claims == null || !claims.path("exp").isNumber()) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(claims.path("exp").asLong()));
    }

    private static Optional<String> text(JsonNode claims, String namespace, String field) {
        if (claims == null) {
            return Optional.empty();
        }
        JsonNode scope = namespace == null ? claims : claims.path(namespace);
        return nonBlank(scope.path(field));
    }

    private static Optional<String> nonBlank(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText().trim()) : Optional.empty();
    }
}
