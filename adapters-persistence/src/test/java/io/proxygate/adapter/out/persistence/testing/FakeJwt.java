package io.proxygate.adapter.out.persistence.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds obviously fake, unsigned JWT-shaped strings around a JSON payload, for claim-reading tests. */
public final class FakeJwt {
    private FakeJwt() {
    }

    public static String withPayload(String json) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(json.getBytes(StandardCharsets.UTF_8)) + ".fake-sig";
    }

    /** A token whose claims carry a ChatGPT account id, plan and email. */
    public static String chatGpt(String email, String accountId, String plan) {
        return withPayload("""
                {"https://api.openai.com/profile":{"email":"%s"},\
                "https://api.openai.com/auth":{"chatgpt_account_id":"%s","chatgpt_plan_type":"%s"}}"""
                .formatted(email, accountId, plan));
    }
}
