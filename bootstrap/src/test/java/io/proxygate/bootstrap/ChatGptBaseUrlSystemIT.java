package io.proxygate.bootstrap;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Moving the ChatGPT backend moves every ChatGPT call: with {@code PROXYGATE_CHATGPT_BASE_URL}
 * (a full responses URL) and with {@code [upstream] chatgpt_base_url}, the model list, the passthrough routes and the
 * usage poll reach the loopback mock, not chatgpt.com.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChatGptBaseUrlSystemIT {
    /** Configured by the environment variable alone: only the full URL of {@code /responses}. */
    private static final MockUpstream GO_STYLE = mock();
    /** Configured with {@code [upstream] chatgpt_base_url}. */
    private static final MockUpstream KEYED = mock();
    private static final DropwizardAppExtension<ProxyGateConfiguration> GO_STYLE_APP =
            app("PROXYGATE_CHATGPT_BASE_URL", GO_STYLE.url() + "/responses");
    private static final DropwizardAppExtension<ProxyGateConfiguration> KEYED_APP =
            app("PROXYGATE_UPSTREAM_CHATGPT_BASE_URL", KEYED.url() + "/backend-api");

    private final HttpClient http = HttpClient.newHttpClient();

    private static MockUpstream mock() {
        MockUpstream mock = MockUpstream.started();
        mock.on("POST", "/responses", (r, ex) -> UpstreamReplies.responsesStream(ex, "resp_moved", "moved"));
        mock.on("GET", "/backend-api/codex/models", (r, ex) ->
                MockUpstream.json(ex, 200, "{\"models\":[{\"slug\":\"gpt-mock\"}]}"));
        mock.on("GET", "/backend-api/wham/tasks", (r, ex) ->
                MockUpstream.json(ex, 200, "{\"items\":[],\"query\":\"" + r.query() + "\"}"));
        mock.on("POST", "/codex/plugins/list", (r, ex) -> MockUpstream.json(ex, 200, "{\"plugins\":[]}"));
        mock.on("GET", "/backend-api/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        return mock;
    }

    private static DropwizardAppExtension<ProxyGateConfiguration> app(String variable, String url) {
        Path root = PoolFiles.tempRoot("proxygate-chatgpt-base",
                pool -> PoolFiles.chatgpt(pool, "moved@x.com", "acc-moved", "pro"));
        return ProxyGateRunner.extension(ProxyGateRunner.config(root, Map.of(variable, url)));
    }

    @AfterAll
    static void stop() {
        GO_STYLE.close();
        KEYED.close();
    }

    @Test
    void theGoVersionsFullResponsesUrlMovesTheModelListAndThePassthroughRoutes() throws Exception {
        assertEveryChatGptCallReaches(GO_STYLE, GO_STYLE_APP);
        // The responses URL itself is taken as given.
        HttpResponse<String> r = send(GO_STYLE_APP, HttpRequest.newBuilder(uri(GO_STYLE_APP, "/v1/responses"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("resp_moved");
        assertThat(GO_STYLE.requests("/responses")).hasSize(1);
    }

    @Test
    void theConfiguredBaseUrlMovesTheModelListAndThePassthroughRoutes() throws Exception {
        assertEveryChatGptCallReaches(KEYED, KEYED_APP);
    }

    private void assertEveryChatGptCallReaches(MockUpstream mock, DropwizardAppExtension<ProxyGateConfiguration> app)
            throws Exception {
        HttpResponse<String> models = send(app, HttpRequest.newBuilder(uri(app, "/v1/models")).GET());
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.body()).contains("gpt-mock");
        assertThat(mock.requests("/backend-api/codex/models").getLast().header("ChatGPT-Account-Id"))
                .isEqualTo("acc-moved");

        HttpResponse<String> tasks = send(app,
                HttpRequest.newBuilder(uri(app, "/backend-api/wham/tasks?limit=5")).GET());
        assertThat(tasks.statusCode()).isEqualTo(200);
        assertThat(tasks.body()).contains("\"query\":\"limit=5\"");

        HttpResponse<String> plugins = send(app, HttpRequest.newBuilder(uri(app, "/codex/plugins/list"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(plugins.statusCode()).isEqualTo(200);
        assertThat(mock.requests("/codex/plugins/list").getLast().header("Authorization"))
                .isEqualTo("Bearer fake-access-acc-moved");

        // The usage poll (run at start) follows the backend too.
        await().atMost(Duration.ofSeconds(20)).until(() -> !mock.requests("/backend-api/wham/usage").isEmpty());
    }

    private HttpResponse<String> send(DropwizardAppExtension<ProxyGateConfiguration> app, HttpRequest.Builder request)
            throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(DropwizardAppExtension<ProxyGateConfiguration> app, String path) {
        return URI.create("http://127.0.0.1:" + app.getLocalPort() + path);
    }
}
