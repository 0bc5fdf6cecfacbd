package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.AppRequests;
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
 * A pool of revoked keys: the client must hear "exhausted" in its own API's shape (503), never a pooled key's 401,
 * which SDKs and Claude Code would take as their own key being wrong; the upstream's words go to the request log.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RevokedKeysSystemIT {
    private static final String ADMIN_TOKEN = "pg-admin-revoked-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPENAI_401 = "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-***\","
            + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";
    private static final String ANTHROPIC_401 = "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
            + "\"message\":\"invalid x-api-key\"}}";
    private static final MockUpstream UPSTREAM = start();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        Path root = PoolFiles.tempRoot("proxygate-revoked", pool -> {
            PoolFiles.key(pool, "openai-1", "openai", "sk-test-revoked-1");
            PoolFiles.key(pool, "openai-2", "openai", "sk-test-revoked-2");
            PoolFiles.key(pool, "anthropic-1", "anthropic", "sk-ant-test-revoked");
        });
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, Map.of(
                "PROXYGATE_ADMIN_TOKEN", ADMIN_TOKEN,
                "PROXYGATE_UPSTREAM_OPENAI_BASE_URL", UPSTREAM.url() + "/v1",
                "PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL", UPSTREAM.url())));
    }

    private final AppRequests app = new AppRequests(APP::getLocalPort, () -> ADMIN_TOKEN);

    private static MockUpstream start() {
        MockUpstream mock = MockUpstream.started();
        mock.on("POST", "/v1/responses", (r, ex) -> MockUpstream.json(ex, 401, OPENAI_401));
        mock.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 401, OPENAI_401));
        mock.on("POST", "/v1/messages", (r, ex) -> MockUpstream.json(ex, 401, ANTHROPIC_401));
        return mock;
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @Test
    void everyApiAnswers503InItsOwnShapeAndTheUpstreamErrorIsOnlyLogged() throws Exception {
        HttpResponse<String> responses = app.send("POST", "/v1/responses", "{\"model\":\"gpt-5\",\"input\":\"hi\"}");
        assertThat(responses.statusCode()).isEqualTo(503);
        JsonNode r = JSON.readTree(responses.body());
        assertThat(r.path("error").path("message").asText())
                .isEqualTo("All accounts and API keys exhausted. Try again later.");
        assertThat(responses.body()).doesNotContain("invalid_api_key").doesNotContain("Incorrect API key");

        HttpResponse<String> chat = app.send("POST", "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(chat.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(chat.body()).path("error").path("message").asText())
                .isEqualTo("All OpenAI API keys exhausted.");
        assertThat(chat.body()).doesNotContain("invalid_api_key");

        HttpResponse<String> messages = app.send("POST", "/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(messages.statusCode()).isEqualTo(503);
        JsonNode m = JSON.readTree(messages.body());
        assertThat(m.path("type").asText()).isEqualTo("error");
        assertThat(m.path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(m.path("error").path("message").asText())
                .isEqualTo("All Claude accounts and Anthropic API keys exhausted.");
        assertThat(messages.body()).doesNotContain("invalid x-api-key");

        JsonNode logged = JSON.readTree(app.send("GET", "/admin/requests?limit=10", null).body());
        assertThat(logged.toString()).contains("Incorrect API key provided").contains("invalid x-api-key");
        assertThat(logged.findValuesAsText("status")).contains("503");
    }
}
