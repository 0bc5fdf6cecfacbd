package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.AppRequests;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the fallback policy on (the default) but Vertex AI not configured, Anthropic API keys stay in rotation and
 * the proxy's own errors apply: an unusable fallback must not take working keys out of service.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class VertexNotConfiguredSystemIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MockUpstream UPSTREAM = start();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        Path root = PoolFiles.tempRoot("proxygate-novertex", pool -> {
            PoolFiles.disabledClaude(pool, "off");
            PoolFiles.key(pool, "anthropic-1", "anthropic", "sk-ant-test-key");
        });
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, Map.of(
                "PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL", UPSTREAM.url(),
                "PROXYGATE_CLAUDE_USAGE_URL", UPSTREAM.url() + "/api/oauth/usage")));
    }

    private final AppRequests app = new AppRequests(APP::getLocalPort, () -> ((ProxyGateApplication) APP.getApplication()).wiring().adminToken().value());

    private static MockUpstream start() {
        MockUpstream mock = MockUpstream.started();
        mock.on("GET", "/api/oauth/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        return mock;
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @Test
    void anthropicKeysServeClaudeRequestsWhileTheFallbackPolicyIsOn() throws Exception {
        UPSTREAM.on("POST", "/v1/messages", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.messageJson("KEY_OK")));

        HttpResponse<String> r = app.send("POST", "/v1/messages",
                "{\"model\":\"claude-opus-4-7\",\"max_tokens\":10,\"messages\":[]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("KEY_OK");
        assertThat(UPSTREAM.requests("/v1/messages").getLast().header("x-api-key")).isEqualTo("sk-ant-test-key");
        JsonNode policy = JSON.readTree(app.send("GET", "/admin/claude-fallback", null).body());
        assertThat(policy.path("policy").path("enabled").asBoolean()).isTrue();
    }

    @Test
    void gcpStatusSaysWhyVertexIsUnavailable() throws Exception {
        JsonNode gcp = JSON.readTree(app.send("GET", "/admin/gcp", null).body());

        assertThat(gcp.path("available").asBoolean()).isFalse();
        assertThat(gcp.path("error").asText()).isEqualTo("missing project or location");
        assertThat(gcp.has("auth_method")).isFalse();
    }
}
