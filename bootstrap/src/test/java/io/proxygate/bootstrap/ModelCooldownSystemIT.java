package io.proxygate.bootstrap;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.application.routing.RoutingService;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.AppRequests;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import io.proxygate.domain.credential.CredentialId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-model cooldowns end to end with one ChatGPT account: a 429 whose text names the requested model cools that
 * model only, so the account goes on serving another model and the limited one is not sent upstream again.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ModelCooldownSystemIT {
    private static final MockUpstream UPSTREAM = mock();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        Path root = PoolFiles.tempRoot("proxygate-model-cooldown",
                pool -> PoolFiles.chatgpt(pool, "solo@x.com", "acc-solo", "pro"));
        APP = ProxyGateRunner.extension(
                ProxyGateRunner.config(root, ProxyGateRunner.upstreamsAt(UPSTREAM.url(), Map.of())));
    }

    private static MockUpstream mock() {
        MockUpstream mock = ProxyGateRunner.upstreamWithEmptyUsage();
        mock.on("POST", "/backend-api/codex/responses", (r, ex) -> {
            if (r.body().contains("\"gpt-5-pro\"")) {
                ex.getResponseHeaders().add("Retry-After", "600");
                MockUpstream.json(ex, 429, "{\"error\":{\"type\":\"usage_limit_reached\","
                        + "\"message\":\"You have hit the usage limit for gpt-5-pro. Try again later.\"}}");
            } else {
                UpstreamReplies.responsesStream(ex, "resp_other", "served");
            }
        });
        return mock;
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private final AppRequests app = new AppRequests(APP::getLocalPort, () -> "no admin token configured");

    private HttpResponse<String> responses(String model) throws Exception {
        return app.send("POST", "/v1/responses", "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"hi\"}");
    }

    private long upstreamCallsFor(String model) {
        return UPSTREAM.requests("/backend-api/codex/responses").stream()
                .filter(r -> r.body().contains("\"" + model + "\"")).count();
    }

    @Test
    void aFourTwentyNineForOneModelLeavesTheAccountServingAnother() throws Exception {
        HttpResponse<String> limited = responses("gpt-5-pro");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(upstreamCallsFor("gpt-5-pro")).isEqualTo(1);

        HttpResponse<String> other = responses("gpt-5");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(other.body()).contains("resp_other");

        // The limited model stays off this account until its cooldown ends: no second call upstream.
        assertThat(responses("gpt-5-pro").statusCode()).isEqualTo(429);
        assertThat(upstreamCallsFor("gpt-5-pro")).isEqualTo(1);

        RoutingService router = ((ProxyGateApplication) APP.getApplication()).wiring().router();
        CredentialId solo = CredentialId.chatgpt("solo@x.com");
        assertThat(router.modelCooldowns(solo)).containsOnlyKeys("gpt-5-pro");
        assertThat(router.statuses().stream().filter(s -> s.id().equals(solo)).findFirst().orElseThrow()
                .cooldownUntil()).as("the account itself is not cooling").isEmpty();
    }
}
