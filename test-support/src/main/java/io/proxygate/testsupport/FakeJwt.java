package io.proxygate.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * JWT-shaped fake tokens: the real ChatGPT claim layout around an obviously fake signature. Nothing in ProxyGate
 * verifies signatures (it only reads claims), so a token here is as good as a real one to the code under test.
 */
public final class FakeJwt {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"fake-key\"}";

    private FakeJwt() {
    }

    /** A token around any payload, even one that is not a JSON object, for claim-reading tests. */
    public static String withPayload(String json) {
        return B64.encodeToString(HEADER.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(json.getBytes(StandardCharsets.UTF_8)) + ".fake-signature-not-verified";
    }

    /** A token whose claims carry a ChatGPT account id, plan and email, and nothing else. */
    public static String chatGpt(String email, String accountId, String plan) {
        return withPayload("""
                {"https://api.openai.com/profile":{"email":%s},\
                "https://api.openai.com/auth":{"chatgpt_account_id":%s,"chatgpt_plan_type":%s}}"""
                .formatted(quoted(email), quoted(accountId), quoted(plan)));
    }

    /** An access token as ChatGPT's issuer mints it; without {@code includeEmail} the profile claim is absent. */
    public static String accessToken(String email, String accountId, String plan, Instant exp, String nonce,
                                     boolean includeEmail) {
        String profile = includeEmail
                ? ",\"https://api.openai.com/profile\":{\"email\":" + quoted(email) + ",\"email_verified\":true}"
                : "";
        return withPayload("""
                {"iss":"https://auth.openai.com","aud":["https://api.openai.com/v1"],"iat":%d,"exp":%d,"jti":%s,\
                "https://api.openai.com/auth":{"chatgpt_account_id":%s,"chatgpt_plan_type":%s,"chatgpt_user_id":%s}%s}"""
                .formatted(exp.minusSeconds(3600).getEpochSecond(), exp.getEpochSecond(), quoted(nonce),
                        quoted(accountId), quoted(plan), quoted("user-fake-" + accountId), profile));
    }

    /** An id token as ChatGPT's issuer mints it for the Codex CLI's client id. */
    public static String idToken(String email, String accountId, String plan, Instant exp) {
        return withPayload("""
                {"iss":"https://auth.openai.com","aud":"app_EMoamEEZ73f0CkXaXp7hrann","exp":%d,"email":%s,\
                "https://api.openai.com/auth":{"chatgpt_account_id":%s,"chatgpt_plan_type":%s}}"""
                .formatted(exp.getEpochSecond(), quoted(email), quoted(accountId), quoted(plan)));
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
