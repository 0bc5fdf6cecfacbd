package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.Fixtures;
import io.proxygate.bootstrap.support.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the fallback policy on (the default) but Vertex AI not configured, Anthropic API keys stay in rotation and
 * the proxy's own errors apply: an unusable fallback must not take working keys out of service.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class VertexNotConfiguredSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MockUpstream UPSTREAM = start();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        try {
            Path root = Files.createTempDirectory("proxygate-novertex");
            Path claude = root.resolve("pool").resolve("claude");
            Files.createDirectories(claude);
            Files.writeString(claude.resolve("off_x.com.json"), """
                    {"email":"off@x.com","access_token":"sk-ant-oat01-fake-off","refresh_token":"sk-ant-ort01-fake",
                     "expires_at":"2099-12-31T00:00:00Z","disabled":true}
                    """);
            PoolFiles.key(root.resolve("pool"), "anthropic-1", "anthropic", "sk-ant-test-key");
            APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, Map.of(
                    "PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL", UPSTREAM.url(),
                    "PROXYGATE_CLAUDE_USAGE_URL", UPSTREAM.url() + "/api/oauth/usage")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private static MockUpstream start() {
        try {
            MockUpstream mock = new MockUpstream();
            mock.on("GET", "/api/oauth/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
            return mock;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("X-Admin-Token", ((ProxyGateApplication) APP.getApplication()).wiring().adminToken().value())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anthropicKeysServeClaudeRequestsWhileTheFallbackPolicyIsOn() throws Exception {
        UPSTREAM.on("POST", "/v1/messages", (r, ex) -> MockUpstream.json(ex, 200, Fixtures.messageJson("KEY_OK")));

        HttpResponse<String> r = send("POST", "/v1/messages",
                "{\"model\":\"claude-opus-4-7\",\"max_tokens\":10,\"messages\":[]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("KEY_OK");
        assertThat(UPSTREAM.requests("/v1/messages").getLast().header("x-api-key")).isEqualTo("sk-ant-test-key");
        JsonNode policy = JSON.readTree(send("GET", "/admin/claude-fallback", null).body());
        assertThat(policy.path("policy").path("enabled").asBoolean()).isTrue();
    }

    @Test
    void gcpStatusSaysWhyVertexIsUnavailable() throws Exception {
        JsonNode gcp = JSON.readTree(send("GET", "/admin/gcp", null).body());

        assertThat(gcp.path("available").asBoolean()).isFalse();
        assertThat(gcp.path("error").asText()).isEqualTo("missing project or location");
        assertThat(gcp.has("auth_method")).isFalse();
    }
}
