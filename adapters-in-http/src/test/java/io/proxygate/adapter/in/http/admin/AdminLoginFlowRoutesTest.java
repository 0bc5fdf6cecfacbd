package io.proxygate.adapter.in.http.admin;

import io.dropwizard.testing.junit5.DropwizardClientExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The login routes of each provider resolve to that provider; other prefixes are not routes. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminLoginFlowRoutesTest {
    private static final AdminFixture FIXTURE = new AdminFixture(Optional.of(Secret.of(AdminFixture.ADMIN_TOKEN)));
    private static final DropwizardClientExtension APP = new DropwizardClientExtension(FIXTURE.components());

    @Test
    void everyProviderHasLoginRoutesAndThePathPatternAcceptsExactlyTheirPrefixes() {
        assertThat(AdminLoginFlowResource.ROUTE_PREFIXES.values()).containsExactlyInAnyOrder(OAuthProvider.values());
        Pattern pattern = Pattern.compile(AdminLoginFlowResource.PROVIDER_PATTERN);
        assertThat(AdminLoginFlowResource.ROUTE_PREFIXES.keySet())
                .allMatch(prefix -> pattern.matcher(prefix).matches());
        assertThat(pattern.matcher("other-").matches()).isFalse();
    }

    @Test
    void eachPrefixStartsThatProvidersLogin() {
        Http http = new Http(APP.baseUri(), new StringBuilder());

        assertThat(http.admin("POST", "/admin/ui/oauth-manual-start", null).json().path("authorize_url").asText())
                .startsWith("https://auth.openai.com/oauth/authorize?");
        assertThat(http.admin("POST", "/admin/ui/claude-oauth-manual-start", null).json().path("authorize_url")
                .asText()).startsWith("https://claude.ai/oauth/authorize?code=true&");
        Http.Reply browser = http.admin("POST", "/admin/ui/claude-oauth-start", null);
        assertThat(browser.status()).as("no free callback port is a local failure").isEqualTo(502);
        assertThat(browser.json().path("error").asText()).contains("1461..1466");
        assertThat(http.admin("POST", "/admin/ui/other-oauth-start", null).status()).isEqualTo(404);
    }
}
