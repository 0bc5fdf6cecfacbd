package io.proxygate.bootstrap.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.bootstrap.ProxyGateApplication;
import io.proxygate.bootstrap.Wiring;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both directions through the whole application with one Claude account and one ChatGPT account: a Claude request
 * whose Claude account answers 429 is served by the ChatGPT account ({@code fallback_on_exhaustion}); a Responses
 * request for a model mapped to Claude, with the ChatGPT account disabled, is served by the Claude account, and the
 * Anthropic upstream sees an Anthropic request.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TranslateRoutingSystemIT {
    private static final MockUpstream UPSTREAM = CodexMock.started();
    private static final Path POOL;
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        Path root = PoolFiles.tempRoot("proxygate-translate-routing", pool -> {
            PoolFiles.chatgpt(pool, "alpha@x.com", "acc-alpha", "pro");
            PoolFiles.claude(pool, "claude@x.com");
        });
        POOL = root.resolve("pool");
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, """
                [translate]
                enabled = true
                [translate.models]
                "claude-sonnet-*" = "gpt-5-codex"
                "gpt-5.1*"        = "claude-sonnet-4-5"
                """, ProxyGateRunner.upstreamsAt(UPSTREAM.url(), Map.of())));
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private String base() {
        return "http://127.0.0.1:" + APP.getLocalPort();
    }

    private Wiring wiring() {
        return ((ProxyGateApplication) APP.getApplication()).wiring();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("anthropic-version", "2023-06-01").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void aClaudeRequestWhoseClaudeAccountIsRateLimitedIsServedByTheChatGptAccount() throws Exception {
        UPSTREAM.on("POST", "/v1/messages", (r, ex) -> {
            ex.getResponseHeaders().set("retry-after", "600");
            MockUpstream.json(ex, 429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                    + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}");
        });

        HttpResponse<String> r = post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
                + "\"tools\":" + MessagesOnChatGptSystemIT.TOOLS + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"type\":\"message\"", "\"id\":\"call_read_1\"");
        assertThat(UPSTREAM.requests("/v1/messages")).hasSize(1);
        RequestRecord row = wiring().requestLog().recent(10).getFirst();
        assertThat(row.translation()).hasValue("translated messages → responses, claude-sonnet-4-5 → gpt-5-codex, "
                + "because every messages credential is exhausted");
        assertThat(row.routingNote()).contains("claude", "chatgpt");

        HttpResponse<String> explained = http.send(HttpRequest.newBuilder(URI.create(base()
                        + "/admin/routing/explain?api=messages&model=claude-sonnet-4-5"))
                .header("X-Admin-Token", wiring().adminToken().value()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(CodexMock.JSON.readTree(explained.body()).path("translation").asText())
                .endsWith("because every messages credential is exhausted");
    }

    @Test
    @Order(2)
    void aResponsesRequestForAModelMappedToClaudeIsServedByTheClaudeAccountWhenNoChatGptAccountCanServe()
            throws Exception {
        var snapshot = wiring().pool().snapshot();
        for (var credential : snapshot.credentials()) {
            if (credential.kind() == io.proxygate.domain.credential.CredentialKind.CHATGPT_ACCOUNT) {
                wiring().pool().setDisabled(snapshot.entry(credential.id()).orElseThrow(), true);
            } else {
                wiring().router().clearCooldown(credential.id());
            }
        }
        UPSTREAM.on("POST", "/v1/messages", (r, ex) -> UpstreamReplies.messagesStream(ex, "Claude speaking"));

        HttpResponse<String> r = post("/v1/responses", "{\"model\":\"gpt-5.1-codex\",\"stream\":true,"
                + "\"instructions\":\"Be brief.\",\"input\":[{\"type\":\"message\",\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("event: response.created", "Claude speaking", "event: response.completed");
        MockUpstream.Recorded seen = UPSTREAM.requests("/v1/messages").getLast();
        JsonNode body = CodexMock.JSON.readTree(seen.body());
        assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("user");
        assertThat(seen.header("Authorization")).startsWith("Bearer sk-ant-oat01-fake-");
        assertThat(seen.header("anthropic-version")).isEqualTo("2023-06-01");
        RequestRecord row = wiring().requestLog().recent(10).getFirst();
        assertThat(row.translation()).hasValue("translated responses → messages, gpt-5.1-codex → claude-sonnet-4-5, "
                + "because no responses credential can serve");
        assertThat(row.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(row.tokens().inputTokens()).as("the Anthropic stream's own usage").isEqualTo(12);
    }
}
