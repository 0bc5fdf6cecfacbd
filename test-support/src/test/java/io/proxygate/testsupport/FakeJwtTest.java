package io.proxygate.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class FakeJwtTest {
    private static String payload(String token) {
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    }

    @Test
    void claimsCarryTheValuesEscapedAsJson() {
        String token = FakeJwt.chatGpt("a\"b@example.com", "acct\\1", "pro");

        assertThat(payload(token)).isEqualTo("{\"https://api.openai.com/profile\":{\"email\":\"a\\\"b@example.com\"},"
                + "\"https://api.openai.com/auth\":{\"chatgpt_account_id\":\"acct\\\\1\",\"chatgpt_plan_type\":\"pro\"}}");
        assertThat(token).endsWith(".fake-signature-not-verified");
    }

    @Test
    void anAccessTokenLeavesOutTheEmailWhenAsked() {
        Instant exp = Instant.parse("2030-01-01T00:00:00Z");

        assertThat(payload(FakeJwt.accessToken("a@example.com", "acct", "team", exp, "n1", true)))
                .contains("\"exp\":" + exp.getEpochSecond()).contains("\"email\":\"a@example.com\"")
                .contains("\"chatgpt_user_id\":\"user-fake-acct\"");
        assertThat(payload(FakeJwt.accessToken("a@example.com", "acct", "team", exp, "n1", false)))
                .doesNotContain("email");
    }
}
