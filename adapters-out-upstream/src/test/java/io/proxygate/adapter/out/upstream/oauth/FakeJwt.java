package io.proxygate.adapter.out.upstream.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Base64;

/** JWT-shaped fake tokens with the real ChatGPT claim layout and an obviously fake signature. */
final class FakeJwt {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private FakeJwt() {
    }

    static String accessToken(String email, String accountId, String plan, Instant exp, String nonce,
                              boolean includeEmail) {
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", "https://auth.openai.com");
        claims.putArray("aud").add("https://api.openai.com/v1");
        claims.put("iat", exp.minusSeconds(3600).getEpochSecond());
        claims.put("exp", exp.getEpochSecond());
        claims.put("jti", nonce);
        ObjectNode auth = claims.putObject("https://api.openai.com/auth");
        auth.put("chatgpt_account_id", accountId);
        auth.put("chatgpt_plan_type", plan);
        auth.put("chatgpt_user_id", "user-fake-" + accountId);
        if (includeEmail) {
            claims.putObject("https://api.openai.com/profile").put("email", email).put("email_verified", true);
        }
        return sign(claims);
    }

    static String idToken(String email, String accountId, String plan, Instant exp) {
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", "https://auth.openai.com");
        claims.put("aud", "app_EMoamEEZ73f0CkXaXp7hrann");
        claims.put("exp", exp.getEpochSecond());
        claims.put("email", email);
        ObjectNode auth = claims.putObject("https://api.openai.com/auth");
        auth.put("chatgpt_account_id", accountId);
        auth.put("chatgpt_plan_type", plan);
        return sign(claims);
    }

    private static String sign(ObjectNode claims) {
        try {
            String header = B64.encodeToString(JSON.writeValueAsBytes(
                    JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT").put("kid", "fake-key")));
            String payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
            return header + "." + payload + ".fake-signature-not-verified";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
