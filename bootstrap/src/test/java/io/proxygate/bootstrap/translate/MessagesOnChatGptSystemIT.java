package io.proxygate.bootstrap.translate;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.bootstrap.ProxyGateApplication;
import io.proxygate.bootstrap.Wiring;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anthropic Messages clients on a pool of ChatGPT accounts only, with {@code [translate]} on: the mock Codex backend
 * speaks only the Responses API. Streamed and non-streamed, tool calls with their ids, the request log's
 * translation note, refusals in Anthropic's shape, and the anthropic-java SDK's own accumulator.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MessagesOnChatGptSystemIT {
    private static final MockUpstream CODEX = CodexMock.started();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;
    static final String TOOLS = "[{\"name\":\"Read\",\"description\":\"Reads a file\",\"input_schema\":{\"type\":\"object\","
            + "\"properties\":{\"file_path\":{\"type\":\"string\"}},\"required\":[\"file_path\"]}},"
            + "{\"name\":\"Glob\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"pattern\":{\"type\":\"string\"}}}}]";

    static {
        Path root = PoolFiles.tempRoot("proxygate-translate",
                pool -> PoolFiles.chatgpt(pool, "alpha@x.com", "acc-alpha", "pro"));
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, """
                [translate]
                enabled = true
                fallback_on_exhaustion = true
                [translate.models]
                "claude-sonnet-*" = "gpt-5-codex"
                "claude-opus-*"   = "gpt-5"
                """, ProxyGateRunner.upstreamsAt(CODEX.url(),
                Map.of("PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL", CODEX.url() + "/anthropic-must-not-be-called"))));
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stop() {
        CODEX.close();
    }

    private String base() {
        return "http://127.0.0.1:" + APP.getLocalPort();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "claude-code-20250219")
                .header("x-api-key", "anything")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private Wiring wiring() {
        return ((ProxyGateApplication) APP.getApplication()).wiring();
    }

    private static String firstTurn(boolean stream) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":" + stream + ","
                + "\"system\":[{\"type\":\"text\",\"text\":\"You are a careful agent.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                + "\"tools\":" + TOOLS + ",\"messages\":[{\"role\":\"user\",\"content\":\"What is in /tmp/notes.txt?\"}]}";
    }

    @Test
    void aStreamedTurnBecomesAnthropicEventsWithBothParallelToolCallsAndTheirIds() throws Exception {
        HttpResponse<String> r = post("/v1/messages?beta=true", firstTurn(true));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String> names = new ArrayList<>();
        StringBuilder arguments = new StringBuilder();
        for (String frame : r.body().split("\n\n")) {
            if (frame.startsWith("event: ")) {
                names.add(frame.substring(7, frame.indexOf('\n')));
            }
            if (frame.contains("input_json_delta")) {
                JsonNode data = CodexMock.JSON.readTree(frame.substring(frame.indexOf("data: ") + 6));
                arguments.append(data.path("delta").path("partial_json").asText());
            }
        }
        assertThat(names).startsWith("message_start", "content_block_start").endsWith("message_delta", "message_stop");
        assertThat(r.body()).contains("\"id\":\"call_read_1\"", "\"name\":\"Read\"", "\"id\":\"call_glob_2\"",
                "\"stop_reason\":\"tool_use\"", "\"model\":\"claude-sonnet-4-5\"");
        assertThat(arguments.toString()).isEqualTo("{\"file_path\":\"/tmp/notes.txt\"}{\"pattern\":\"*.md\"}");

        MockUpstream.Recorded seen = CODEX.requests(CodexMock.PATH).getLast();
        JsonNode upstream = CodexMock.JSON.readTree(seen.body());
        assertThat(upstream.path("model").asText()).isEqualTo("gpt-5-codex");
        assertThat(upstream.path("instructions").asText()).isEqualTo("You are a careful agent.");
        assertThat(upstream.path("store").asBoolean(true)).isFalse();
        assertThat(upstream.path("stream").asBoolean()).isTrue();
        assertThat(upstream.path("tools").get(0).path("type").asText()).isEqualTo("function");
        assertThat(upstream.has("max_output_tokens")).as("the Codex backend refuses it").isFalse();
        assertThat(seen.query()).as("Claude Code's ?beta=true is not the backend's").isNull();
        assertThat(seen.header("anthropic-beta")).isNull();
        assertThat(seen.header("x-api-key")).isNull();
        assertThat(seen.header("Authorization")).isEqualTo("Bearer fake-access-acc-alpha");
    }

    @Test
    void aTranslatedStreamReachesTheClientEventByEventNotWhenTheUpstreamIsDone() throws Exception {
        CodexMock.clientSawFirstDelta = new java.util.concurrent.CountDownLatch(1);
        CodexMock.releasedByClient = false;
        HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-opus-4-1\",\"max_tokens\":100,"
                        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofLines());

        StringBuilder seen = new StringBuilder();
        try (java.util.stream.Stream<String> lines = r.body()) {
            for (java.util.Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                seen.append(line).append('\n');
                if (line.contains("\"text\":\"first\"")) {
                    CodexMock.clientSawFirstDelta.countDown();
                }
            }
        }

        assertThat(CodexMock.releasedByClient).as("the first delta reached the client while the upstream waited").isTrue();
        assertThat(seen.toString()).contains("\"text\":\" second\"", "event: message_stop");
    }

    @Test
    void theToolResultsGoBackWithTheirCallIdsAndTheNonStreamedAnswerIsOneMessage() throws Exception {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"tools\":" + TOOLS + ",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"What is in /tmp/notes.txt?\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Reading.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"call_read_1\",\"name\":\"Read\",\"input\":{\"file_path\":\"/tmp/notes.txt\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"call_glob_2\",\"name\":\"Glob\",\"input\":{\"pattern\":\"*.md\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_read_1\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"PINEAPPLE-42\"}]},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"call_glob_2\",\"content\":\"README.md\"}]}]}";

        HttpResponse<String> r = post("/v1/messages", body);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode message = CodexMock.JSON.readTree(r.body());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("content").get(0).path("text").asText()).isEqualTo("The file says: PINEAPPLE-42");
        assertThat(message.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(message.path("usage").path("input_tokens").asLong()).isEqualTo(50);
        assertThat(message.path("usage").path("cache_read_input_tokens").asLong()).isEqualTo(250);

        JsonNode input = CodexMock.JSON.readTree(CODEX.requests(CodexMock.PATH).getLast().body()).path("input");
        List<String> shape = new ArrayList<>();
        input.forEach(i -> shape.add(i.path("type").asText() + ":" + i.path("call_id").asText(i.path("role").asText())));
        assertThat(shape).containsExactly("message:user", "message:assistant", "function_call:call_read_1",
                "function_call:call_glob_2", "function_call_output:call_read_1", "function_call_output:call_glob_2");

        RequestRecord row = wiring().requestLog().recent(50).stream()
                .filter(rec -> rec.tokens().inputTokens() == 300).findFirst().orElseThrow();
        assertThat(row.translation()).hasValue("translated messages → responses, claude-sonnet-4-5 → gpt-5-codex, "
                + "because no messages credential can serve");
        assertThat(row.model()).as("priced as the served model").isEqualTo("gpt-5-codex");
        assertThat(row.route()).isEqualTo("/v1/messages");
        assertThat(row.provider()).isEqualTo("chatgpt-pool");
        assertThat(row.status()).isEqualTo(200);
    }

    @Test
    void routingExplainAndTheAdminRequestListSayWhatIsTranslated() throws Exception {
        post("/v1/messages", firstTurn(false));
        HttpResponse<String> explained = http.send(HttpRequest.newBuilder(URI.create(base()
                        + "/admin/routing/explain?api=messages&model=claude-sonnet-4-5"))
                .header("X-Admin-Token", wiring().adminToken().value()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(explained.statusCode()).isEqualTo(200);
        assertThat(CodexMock.JSON.readTree(explained.body()).path("translation").asText())
                .isEqualTo("translated messages → responses, claude-sonnet-4-5 → gpt-5-codex, because no messages "
                        + "credential can serve");
        HttpResponse<String> unmapped = http.send(HttpRequest.newBuilder(URI.create(base()
                        + "/admin/routing/explain?api=messages&model=claude-haiku-4-5"))
                .header("X-Admin-Token", wiring().adminToken().value()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(CodexMock.JSON.readTree(unmapped.body()).path("translation").asText())
                .startsWith("not translated: no [translate.models] entry maps claude-haiku-4-5");

        HttpResponse<String> rows = http.send(HttpRequest.newBuilder(URI.create(base() + "/admin/requests?limit=5"))
                .header("X-Admin-Token", wiring().adminToken().value()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(rows.body()).contains("\"translation\":\"translated messages → responses, claude-sonnet-4-5 → gpt-5-codex");
    }

    @Test
    void anthropicServerToolsAreRefusedInAnthropicsShapeWithoutCallingTheBackend() throws Exception {
        int before = CODEX.requests(CodexMock.PATH).size();
        HttpResponse<String> r = post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
                + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"news?\"}]}");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = CodexMock.JSON.readTree(r.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("error").path("message").asText()).contains("web_search_20250305", "server-side tool");
        assertThat(CODEX.requests(CodexMock.PATH)).hasSize(before);
    }

    @Test
    void countTokensIsAnEstimateSaidToBeOne() throws Exception {
        HttpResponse<String> r = post("/v1/messages/count_tokens", "{\"model\":\"claude-sonnet-4-5\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + "word ".repeat(200) + "\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode counted = CodexMock.JSON.readTree(r.body());
        assertThat(counted.path("input_tokens").asLong()).isBetween(200L, 400L);
        assertThat(counted.path("estimated").asBoolean()).isTrue();
        assertThat(r.headers().firstValue("x-proxygate-estimate")).isPresent();
    }

    @Test
    void aModelWithoutAMappingIsNotTranslated() throws Exception {
        HttpResponse<String> r = post("/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":10,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"type\":\"error\"");
    }

    @Test
    void theAnthropicSdksStreamAccumulatorRebuildsTheNonStreamedReply() {
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(base()).apiKey("anything").maxRetries(0).build();
        MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(1024)
                .system("You are a careful agent.")
                .addTool(Tool.builder().name("Read").description("Reads a file").inputSchema(Tool.InputSchema.builder()
                        .properties(com.anthropic.core.JsonValue.from(Map.of("file_path", Map.of("type", "string"))))
                        .build()).build())
                .addUserMessage("What is in /tmp/notes.txt?").build();

        Message whole = client.messages().create(params);
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (var stream = client.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message streamed = accumulator.message();

        assertThat(streamed.content()).isEqualTo(whole.content());
        assertThat(streamed.stopReason()).isEqualTo(whole.stopReason());
        assertThat(streamed.model()).isEqualTo(whole.model());
        assertThat(streamed.usage().outputTokens()).isEqualTo(whole.usage().outputTokens());
        assertThat(whole.content()).hasSize(2);
        assertThat(whole.content().get(0).toolUse()).hasValueSatisfying(t -> {
            assertThat(t.id()).isEqualTo("call_read_1");
            assertThat(t.name()).isEqualTo("Read");
        });
    }
}
