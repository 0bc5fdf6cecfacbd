package io.proxygate.adapter.out.persistence.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the claims of a JWT (an OpenAI access or id token) without checking its signature: we only use them to
 * fill in facts the token's owner already knows (account id, plan, email, expiry), never to authorise anything.
 */
public final class JwtClaims {
    /** The claim object OpenAI puts account facts under. */
    public static final String OPENAI_AUTH_CLAIM = "https://api.openai.com/auth";
    /** The claim object OpenAI puts the user's profile under. */
    public static final String OPENAI_PROFILE_CLAIM = "https://api.openai.com/profile";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode payload;

    private JwtClaims(JsonNode payload) {
        this.payload = payload;
    }

    /** Decodes the payload (part 2, base64url, padded or not); empty when the text is not a JWT with a JSON object. */
    public static Optional<JwtClaims> parse(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] json = Base64.getUrlDecoder().decode(stripPadding(parts[1]));
            JsonNode node = MAPPER.readTree(json);
            return node != null && node.isObject() ? Optional.of(new JwtClaims(node)) : Optional.empty();
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    /** A non-blank string at {@code path} (object keys), if there is one. */
    public Optional<String> text(String... path) {
        JsonNode node = payload;
        for (String key : path) {
            node = node.path(key);
        }
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText().trim()) : Optional.empty();
    }

    /** ChatGPT account id: the auth claim's {@code chatgpt_account_id}, else a top-level one, else the first organisation's id. */
    public Optional<String> chatGptAccountId() {
        return text(OPENAI_AUTH_CLAIM, "chatgpt_account_id")
                .or(() -> text("chatgpt_account_id"))
                .or(() -> {
                    JsonNode first = payload.path("organizations").path(0).path("id");
                    return first.isTextual() && !first.asText().isBlank()
                            ? Optional.of(first.asText().trim()) : Optional.empty();
                });
    }

    /** ChatGPT plan ({@code free}, {@code plus}, {@code pro}, ...), as the token states it. */
    public Optional<String> chatGptPlanType() {
        return text(OPENAI_AUTH_CLAIM, "chatgpt_plan_type");
    }

    /** The ChatGPT user id: the auth claim's {@code chatgpt_user_id}, else {@code sub}. */
    public Optional<String> chatGptUserId() {
        return text(OPENAI_AUTH_CLAIM, "chatgpt_user_id").or(() -> text("sub"));
    }

    /** Email from the profile claim, else a top-level {@code email}. */
    public Optional<String> email() {
        return text(OPENAI_PROFILE_CLAIM, "email").or(() -> text("email"));
    }

    /** The {@code exp} claim (epoch seconds). */
    public Optional<Instant> expiresAt() {
        JsonNode exp = payload.path("exp");
        return exp.isNumber() && exp.asLong() > 0 ? Optional.of(Instant.ofEpochSecond(exp.asLong())) : Optional.empty();
    }

    private static String stripPadding(String part) {
        int end = part.length();
        while (end > 0 && part.charAt(end - 1) == '=') {
            end--;
        }
        return part.substring(0, end);
    }

    @Override
    public String toString() {
        // Claims name a person; keep them out of logs by default.
        return "JwtClaims[" + payload.size() + " claims]";
    }
}
