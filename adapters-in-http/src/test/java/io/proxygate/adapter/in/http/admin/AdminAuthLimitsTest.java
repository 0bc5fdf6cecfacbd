package io.proxygate.adapter.in.http.admin;

import io.dropwizard.testing.junit5.DropwizardClientExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate's limits, each on a server of its own: no token configured, and too many wrong tokens. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminAuthLimitsTest {
    private static final DropwizardClientExtension CLOSED = new DropwizardClientExtension(
            new AdminFixture(Optional.empty()).components());
    private static final DropwizardClientExtension GUARDED = new DropwizardClientExtension(
            new AdminFixture(Optional.of(Secret.of(AdminFixture.ADMIN_TOKEN))).components());

    @Test
    void withoutAConfiguredTokenTheAdminApiIsForbidden() {
        Http http = new Http(CLOSED.baseUri(), new StringBuilder());
        Http.Reply r = http.get("/admin/status");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("error").asText()).isEqualTo("admin token not configured");
        assertThat(http.send("POST", "/admin/ui/login", "anything").status()).isEqualTo(403);
        assertThat(http.send("GET", "/", null).status()).as("the page itself stays reachable").isEqualTo(200);
    }

    @Test
    void theIdentityProofIsAnHmacOfTheChallengeAndPortUnderTheIdentityKeyNotTheAdminToken() {
        String challenge = "0123456789abcdef".repeat(4);
        int port = GUARDED.baseUri().getPort();
        Http.Reply proved = new Http(GUARDED.baseUri(), new StringBuilder())
                .send("GET", "/admin/ui/identity?challenge=" + challenge, null);
        assertThat(proved.status()).as("no token needed to ask").isEqualTo(200);
        assertThat(proved.json().path("proof").asText())
                .isEqualTo(AdminAuth.identityProof(AdminFixture.IDENTITY_KEY, port, challenge))
                .as("the admin token cannot be guessed from it")
                .isNotEqualTo(AdminAuth.identityProof(AdminFixture.ADMIN_TOKEN, port, challenge))
                .as("a listener elsewhere cannot relay it")
                .isNotEqualTo(AdminAuth.identityProof(AdminFixture.IDENTITY_KEY, port + 1, challenge));
        Http http = new Http(GUARDED.baseUri(), new StringBuilder());
        assertThat(http.send("GET", "/admin/ui/identity?challenge=not-hex", null).status()).isEqualTo(404);
        assertThat(http.send("GET", "/admin/ui/identity", null).status()).isEqualTo(404);
        assertThat(new Http(CLOSED.baseUri(), new StringBuilder()).send("GET",
                "/admin/ui/identity?challenge=" + challenge, null).status()).as("no identity to prove").isEqualTo(404);
    }

    @Test
    void tenWrongTokensInAMinuteThrottleFurtherGuessesButNeverTheRightToken() {
        Http http = new Http(GUARDED.baseUri(), new StringBuilder());
        for (int i = 0; i < 10; i++) {
            int status = i % 2 == 0 ? http.send("POST", "/admin/ui/login", "wrong-" + i).status()
                    : http.send("GET", "/admin/keys", null, AdminAuth.HEADER, "wrong-" + i).status();
            assertThat(status).as("attempt %d", i + 1).isEqualTo(401);
        }
        Http.Reply throttled = http.send("GET", "/admin/keys", null, AdminAuth.HEADER, "wrong-10");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isNotNull();
        assertThat(throttled.json().path("error").asText()).contains("too many");

        assertThat(http.get("/admin/status").status()).as("the right token, same address").isEqualTo(200);
        assertThat(http.send("POST", "/admin/ui/login", AdminFixture.ADMIN_TOKEN).status()).isEqualTo(204);
        assertThat(http.send("POST", "/admin/ui/login", "wrong-11").status()).as("still throttled").isEqualTo(429);
    }
}
