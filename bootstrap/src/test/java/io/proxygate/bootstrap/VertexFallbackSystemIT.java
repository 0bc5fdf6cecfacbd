package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.AppRequests;
import io.proxygate.bootstrap.support.GoogleFixtures;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Claude fallback end to end: the real server with one disabled Claude account and no Anthropic key, Vertex AI
 * and Google's token endpoint mocked over real HTTP, the policy changed through the admin API.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VertexFallbackSystemIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERTEX_MODELS = "/v1/projects/test-project/locations/us-east5/publishers/anthropic/models/";
    private static final MockUpstream GOOGLE = start();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        try {
            Path root = Files.createTempDirectory("proxygate-vertex");
            PoolFiles.disabledClaude(root.resolve("pool"), "off");
            Path credentials = GoogleFixtures.serviceAccount(root.resolve("gcp"), GOOGLE.url() + "/token");
            APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, Map.of(
                    "PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL", GOOGLE.url() + "/anthropic-must-not-be-called",
                    "PROXYGATE_CLAUDE_USAGE_URL", GOOGLE.url() + "/api/oauth/usage",
                    "PROXYGATE_VERTEX_PROJECT_ID", "test-project",
                    "PROXYGATE_VERTEX_LOCATION", "us-east5",
                    "PROXYGATE_VERTEX_CREDENTIALS_FILE", credentials.toString(),
                    "PROXYGATE_VERTEX_BASE_URL", GOOGLE.url())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private final AppRequests app = new AppRequests(APP::getLocalPort, () -> wiring().adminToken().value());

    private static MockUpstream start() {
        MockUpstream mock = MockUpstream.started();
        mock.on("POST", "/token", (r, ex) -> MockUpstream.json(ex, 200,
                "{\"access_token\":\"fake-google-access-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"));
        mock.on("GET", "/api/oauth/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        return mock;
    }

    @AfterAll
    static void stop() {
        GOOGLE.close();
    }

    private Wiring wiring() {
        return ((ProxyGateApplication) APP.getApplication()).wiring();
    }

    private Optional<RequestRecord> logged(String model) {
        return wiring().requestLog().recent(20).stream().filter(r -> r.model().equals(model)).findFirst();
    }

    @Test
    @Order(1)
    void adminSeesTheDefaultPolicyAndAUsableVertex() throws Exception {
        JsonNode gcp = JSON.readTree(app.send("GET", "/admin/gcp", null).body());
        assertThat(gcp.path("available").asBoolean()).isTrue();
        assertThat(gcp.path("project_id").asText()).isEqualTo("test-project");
        assertThat(gcp.path("location").asText()).isEqualTo("us-east5");
        assertThat(gcp.path("auth_method").asText()).isEqualTo("service_account");

        JsonNode fallback = JSON.readTree(app.send("GET", "/admin/claude-fallback", null).body());
        assertThat(fallback.path("policy").path("enabled").asBoolean()).isTrue();
        assertThat(fallback.path("policy").path("rules")).hasSize(3);
        assertThat(fallback.path("variants")).hasSize(7);
    }

    @Test
    @Order(2)
    void aDisabledClaudeAccountFallsBackToVertexWithTheRulesModelAndVariant() throws Exception {
        HttpResponse<String> put = app.send("PUT", "/admin/claude-fallback", "{\"policy\":{\"enabled\":true,\"rules\":["
                + "{\"enabled\":true,\"from_model\":\"claude-opus4.7\",\"to_model\":\"claude-opus-4-6\","
                + "\"to_variant\":\"thinking-16k\"}]}}");
        assertThat(put.statusCode()).isEqualTo(200);
        GOOGLE.on("POST", VERTEX_MODELS + "claude-opus-4-6:rawPredict", (r, ex) -> MockUpstream.json(ex, 200,
                "{\"id\":\"msg_v\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-6\","
                        + "\"content\":[{\"type\":\"text\",\"text\":\"VERTEX_OK\"}],\"usage\":{\"input_tokens\":5,"
                        + "\"output_tokens\":7}}"));

        HttpResponse<String> r = app.send("POST", "/v1/messages",
                "{\"model\":\"claude-opus-4-7\",\"max_tokens\":1000,\"messages\":[]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("VERTEX_OK");
        MockUpstream.Recorded seen = GOOGLE.requests(VERTEX_MODELS + "claude-opus-4-6:rawPredict").getLast();
        assertThat(seen.header("Authorization")).isEqualTo("Bearer fake-google-access-token");
        JsonNode body = JSON.readTree(seen.body());
        assertThat(body.has("model")).isFalse();
        assertThat(body.path("thinking").path("budget_tokens").asLong()).isEqualTo(16_000);
        assertThat(body.path("max_tokens").asLong()).isEqualTo(17_024);
        assertThat(body.path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
        assertThat(GOOGLE.requests().stream().noneMatch(x -> x.path().startsWith("/anthropic-must-not-be-called")))
                .isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            // AssertionError, not NoSuchElementException, so that awaitility waits for the row.
            RequestRecord row = logged("claude-opus-4-6").orElseThrow(() -> new AssertionError("no row yet"));
            assertThat(row.provider()).isEqualTo("vertex-ai");
            assertThat(row.credential().map(Object::toString)).contains("vertex-ai");
            assertThat(row.status()).isEqualTo(200);
            assertThat(row.tokens().inputTokens()).isEqualTo(5);
            assertThat(row.tokens().outputTokens()).isEqualTo(7);
        });
    }

    @Test
    @Order(3)
    void streamsThroughStreamRawPredict() throws Exception {
        GOOGLE.on("POST", VERTEX_MODELS + "claude-opus-4-6:streamRawPredict", (r, ex) -> {
            OutputStream out = MockUpstream.startSse(ex, Map.of());
            MockUpstream.event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\","
                    + "\"model\":\"claude-opus-4-6\",\"usage\":{\"input_tokens\":21,\"output_tokens\":1}}}");
            MockUpstream.event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"STREAMED\"}}");
            MockUpstream.event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":"
                    + "{\"output_tokens\":9}}");
            MockUpstream.event(out, "message_stop", "{\"type\":\"message_stop\"}");
        });

        HttpResponse<String> r = app.send("POST", "/v1/messages",
                "{\"model\":\"Claude Opus 4.7\",\"stream\":true,\"max_tokens\":30000,\"messages\":[]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("text/event-stream");
        assertThat(r.body()).contains("STREAMED").contains("message_stop");
        assertThat(JSON.readTree(GOOGLE.requests(VERTEX_MODELS + "claude-opus-4-6:streamRawPredict").getLast().body())
                .path("max_tokens").asLong()).isEqualTo(30_000);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            RequestRecord row = wiring().requestLog().recent(20).stream()
                    .filter(x -> x.responseId().equals(Optional.of("msg_s"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no row yet"));
            assertThat(row.provider()).isEqualTo("vertex-ai");
            assertThat(row.credential().map(Object::toString)).contains("vertex-ai");
            assertThat(row.tokens().inputTokens()).isEqualTo(21);
            assertThat(row.tokens().outputTokens()).isEqualTo(9);
        });
    }

    @Test
    @Order(4)
    void aModelNoRuleMapsIsA503WithTheOriginalsMessage() throws Exception {
        int vertexCalls = GOOGLE.requests().size();

        HttpResponse<String> r = app.send("POST", "/v1/messages",
                "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":10,\"messages\":[]}");

        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("message").asText())
                .isEqualTo("All Claude accounts exhausted and no Vertex AI fallback matched or succeeded.");
        assertThat(GOOGLE.requests().size()).isEqualTo(vertexCalls);
    }

    @Test
    @Order(5)
    void anInvalidPolicyIsRejectedAndTheLiveOneKept() throws Exception {
        HttpResponse<String> put = app.send("PUT", "/admin/claude-fallback",
                "{\"policy\":{\"enabled\":true,\"rules\":[{\"enabled\":true,\"from_model\":\"claude-opus-4-7\"}]}}");

        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(put.body()).path("error").asText())
                .isEqualTo("enabled fallback rules require from_model and to_model");
        JsonNode live = JSON.readTree(app.send("GET", "/admin/claude-fallback", null).body());
        assertThat(live.path("policy").path("rules").get(0).path("to_variant").asText()).isEqualTo("thinking-16k");
    }
}
