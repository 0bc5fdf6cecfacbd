package io.proxygate.adapter.out.persistence.jwt;

import io.proxygate.testsupport.FakeJwt;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class JwtClaimsTest {
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
        assertThat(claims.chatGptUserId()).contains("fake-user");
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
}
