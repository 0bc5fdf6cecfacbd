package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.application.routing.CredentialRouter;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.AppRequests;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Row 18 of the outcome table: a {@code response.failed} inside a 200 stream relayed as it comes. Pool: ChatGPT
 * accounts "alpha" (pro, the first pick) and "beta" (plus); alpha's stream begins with {@code response.created} and
 * then fails with a rate-limit code. The client receives the stream as sent; the request log shows the failure, and
 * alpha cools down as a 429 would have cooled it, with its error rate up, so the next request goes to beta.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StreamFailedSystemIT {
    private static final String ADMIN_TOKEN = "pg-admin-stream-failed-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MockUpstream UPSTREAM = start();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        Path root = PoolFiles.tempRoot("proxygate-stream-failed", PoolFiles::alphaAndBeta);
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, ProxyGateRunner.upstreamsAt(UPSTREAM.url(),
                Map.of("PROXYGATE_ADMIN_TOKEN", ADMIN_TOKEN,
                        "PROXYGATE_OAUTH_OPENAI_ISSUER", UPSTREAM.url()))));
    }

    private static MockUpstream start() {
        MockUpstream mock = ProxyGateRunner.upstreamWithEmptyUsage();
        mock.on("POST", "/backend-api/codex/responses", (r, ex) -> {
            if (!"acc-alpha".equals(r.header("chatgpt-account-id"))) {
                UpstreamReplies.responsesStream(ex, "resp_beta", "ok");
                return;
            }
            OutputStream out = MockUpstream.startSse(ex, Map.of());
            MockUpstream.event(out, "response.created", "{\"type\":\"response.created\",\"response\":"
                    + "{\"id\":\"resp_alpha\",\"object\":\"response\",\"model\":\"gpt-5\",\"status\":\"in_progress\","
                    + "\"output\":[]}}");
            MockUpstream.event(out, "response.failed", "{\"type\":\"response.failed\",\"response\":"
                    + "{\"id\":\"resp_alpha\",\"object\":\"response\",\"model\":\"gpt-5\",\"status\":\"failed\","
                    + "\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"Rate limit reached, retry after "
                    + "600 sec\"},\"output\":[]}}");
        });
        return mock;
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private final AppRequests app = new AppRequests(APP::getLocalPort, () -> ADMIN_TOKEN);

    private static CredentialRouter router() {
        return ((ProxyGateApplication) APP.getApplication()).wiring().router();
    }

    private static CredentialStatus status(String email) {
        return router().statuses().stream().filter(s -> s.id().value().endsWith(email)).findFirst().orElseThrow();
    }

    @Test
    void aRateLimitFailureInsideAStreamIsRelayedLoggedAndCoolsTheAccount() throws Exception {
        HttpResponse<String> r = app.send("POST", "/v1/responses",
                "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("event: response.failed").contains("rate_limit_exceeded");
        assertThat(UPSTREAM.requests("/backend-api/codex/responses")).singleElement()
                .extracting(q -> q.header("chatgpt-account-id")).isEqualTo("acc-alpha");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode rows = JSON.readTree(app.send("GET", "/admin/requests?limit=10", null).body());
            JsonNode row = rows.isArray() ? rows.get(0) : rows.findValue("requests").get(0);
            assertThat(row.path("error_class").asText()).isEqualTo("upstream_stream_failed");
            assertThat(row.path("error").asText())
                    .isEqualTo("rate_limit_exceeded: Rate limit reached, retry after 600 sec");
        });
        CredentialStatus alpha = status("alpha@x.com");
        assertThat(alpha.cooldownReason()).contains("429");
        assertThat(alpha.cooldownUntil()).hasValueSatisfying(until ->
                assertThat(until).isAfter(Instant.now().plus(Duration.ofMinutes(9))));
        assertThat(router().health(alpha.id())).hasValueSatisfying(h ->
                assertThat(h).contains("error rate").doesNotContain("error rate 0.00"));
        assertThat(status("beta@x.com").cooldownUntil()).isEmpty();

        HttpResponse<String> next = app.send("POST", "/v1/responses",
                "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"again\"}");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).contains("resp_beta").doesNotContain("response.failed");
        assertThat(UPSTREAM.requests("/backend-api/codex/responses")).last()
                .extracting(q -> q.header("chatgpt-account-id")).isEqualTo("acc-beta");
    }
}
