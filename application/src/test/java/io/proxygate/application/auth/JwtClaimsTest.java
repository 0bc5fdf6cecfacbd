package io.proxygate.application.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class JwtClaimsTest {
    /** Obviously fake, unsigned JWT-shaped strings around a JSON payload. */
    private static final class FakeJwt {
        static String withPayload(String json) {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(json.getBytes(StandardCharsets.UTF_8)) + ".fake-sig";
        }

        static String chatGpt(String email, String accountId, String plan) {
            return withPayload("""
                    {"https://api.openai.com/profile":{"email":"%s"},\
                    "https://api.openai.com/auth":{"chatgpt_account_id":"%s","chatgpt_plan_type":"%s"}}"""
                    .formatted(email, accountId, plan));
        }
    }

    @Test
    void readsAccountPlanAndEmailFromOpenAiClaimObjects() {
        JwtClaims claims = JwtClaims.parse(FakeJwt.chatGpt("a@example.com", "acct-fake", "pro")).orElseThrow();

        assertThat(claims.chatGptAccountId()).contains("acct-fake");
        assertThat(claims.chatGptPlanType()).contains("pro");
        assertThat(claims.email()).contains("a@example.com");
    }

    @Test
    void fallsBackToTopLevelAccountIdThenFirstOrganisation() {
        JwtClaims topLevel = JwtClaims.parse(FakeJwt.withPayload("""
                {"chatgpt_account_id":"acct-top","organizations":[{"id":"org-fake"}]}""")).orElseThrow();
        JwtClaims orgOnly = JwtClaims.parse(FakeJwt.withPayload("""
                {"organizations":[{"id":"org-fake"},{"id":"org-second"}]}""")).orElseThrow();

        assertThat(topLevel.chatGptAccountId()).contains("acct-top");
        assertThat(orgOnly.chatGptAccountId()).contains("org-fake");
    }

    @Test
    void fallsBackToTopLevelEmailAndReadsExpiry() {
        JwtClaims claims = JwtClaims.parse(FakeJwt.withPayload("""
                {"email":"top@example.com","exp":1767225600,"sub":"fake-user"}""")).orElseThrow();

        assertThat(claims.email()).contains("top@example.com");
        assertThat(claims.expiresAt()).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(claims.chatGptPlanType()).isEmpty();
    }

    @Test
    void acceptsPaddedBase64Payload() {
        String token = FakeJwt.withPayload("{\"email\":\"p@example.com\"}");
        String[] parts = token.split("\\.");
        String padded = parts[0] + "." + parts[1] + "=".repeat((4 - parts[1].length() % 4) % 4) + "." + parts[2];

        assertThat(JwtClaims.parse(padded).flatMap(JwtClaims::email)).contains("p@example.com");
    }

    @Test
    void rejectsTextThatIsNotAJwtWithAJsonObject() {
        assertThat(JwtClaims.parse("fake-access-token")).isEmpty();
        assertThat(JwtClaims.parse("a.b")).isEmpty();
        assertThat(JwtClaims.parse("a.!!!.c")).isEmpty();
        assertThat(JwtClaims.parse(FakeJwt.withPayload("[1,2]"))).isEmpty();
        assertThat(JwtClaims.parse(null)).isEmpty();
    }

    @Test
    void toStringDoesNotRevealClaims() {
        JwtClaims claims = JwtClaims.parse(FakeJwt.chatGpt("secret@example.com", "acct", "pro")).orElseThrow();

        assertThat(claims.toString()).doesNotContain("secret@example.com");
    }

    @Test
    void accountIdFallsBackToTheFirstOrganisationUnderTheAuthClaim() {
        JwtClaims claims = JwtClaims.parse(FakeJwt.withPayload("""
                {"https://api.openai.com/auth":{"organizations":[{"id":"org-auth"}]},
                 "organizations":[{"id":"org-top"}]}""")).orElseThrow();

        assertThat(claims.chatGptAccountId()).contains("org-auth");
    }

    @Test
    void readsEscapesNumbersAndLiteralsAndIgnoresClaimsOfOtherTypes() {
        JwtClaims claims = JwtClaims.parse(FakeJwt.withPayload("""
                { "email" : "caf\\u00e9\\"\\\\\\/x@example.com", "exp": 1.7672256E9, "chatgpt_account_id": 42,
                  "flags": [true, false, null, -0.5e-3, {}, []] }""")).orElseThrow();

        assertThat(claims.email()).contains("caf\u00e9\"\\/x@example.com");
        assertThat(claims.expiresAt()).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(claims.chatGptAccountId()).isEmpty();
    }

    @Test
    void malformedJsonPayloadsAreNotClaims() {
        for (String payload : new String[]{"{", "{\"a\":}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":\"x\"} x",
                "{\"a\":\"\\q\"}", "{\"a\":tru}", "{a:1}", "{\"a\":\"\\u12\"}", "[".repeat(200)}) {
            assertThat(JwtClaims.parse(FakeJwt.withPayload(payload))).as(payload).isEmpty();
        }
    }

    @Test
    void tokenClaimsComeFromTheAccessTokenWithGapsFilledFromTheIdToken() {
        String access = FakeJwt.withPayload("""
                {"https://api.openai.com/auth":{"chatgpt_plan_type":"plus"},"exp":1767225600}""");
        String id = FakeJwt.chatGpt("id@example.com", "acct-id", "pro");

        TokenClaims claims = JwtClaims.ofTokens(access, Optional.of(id));

        assertThat(claims.planType()).contains("plus");
        assertThat(claims.email()).contains("id@example.com");
        assertThat(claims.accountId()).contains("acct-id");
        assertThat(claims.expiresAt()).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(JwtClaims.ofTokens("opaque-token", Optional.empty()).email()).isEmpty();
    }
}
