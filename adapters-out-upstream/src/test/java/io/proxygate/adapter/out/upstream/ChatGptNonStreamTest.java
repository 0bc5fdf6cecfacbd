package io.proxygate.adapter.out.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.domain.usage.TokenUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.proxygate.adapter.out.upstream.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A client that did not ask for a stream gets one JSON response, although the ChatGPT backend only streams. */
class ChatGptNonStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATED = """
            event: response.created
            data: {"type":"response.created","response":{"id":"resp_7","object":"response","status":"in_progress","model":"gpt-5.5","output":[]}}

            """;
    private static final String DELTAS = """
            event: response.output_text.delta
            data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hello"}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":", world"}

            """;
    private static final String ITEMS = """
            event: response.output_item.done
            data: {"type":"response.output_item.done","output_index":1,"item":{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"output_text","text":"Hello, world","annotations":[]}]}}

            event: response.output_item.done
            data: {"type":"response.output_item.done","output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]}}

            """;
    private static final String USAGE = "\"usage\":{\"input_tokens\":30,\"input_tokens_details\":{\"cached_tokens\":0},"
            + "\"output_tokens\":4,\"output_tokens_details\":{\"reasoning_tokens\":1},\"total_tokens\":34}";

    private MockUpstream mock;
    private HttpUpstreamAdapter adapter;

    @BeforeEach
    void start() throws IOException {
        mock = new MockUpstream();
        adapter = new HttpUpstreamAdapter(Fixtures.settingsFor(mock).build());
    }

    @AfterEach
    void stop() {
        adapter.close();
        mock.close();
    }

    private static String completed(String output) {
        return "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_7\","
                + "\"object\":\"response\",\"status\":\"completed\",\"model\":\"gpt-5.5\",\"output\":" + output + ","
                + USAGE + "}}\n\n";
    }

    private Reading.Reply nonStreaming(String sse) throws Exception {
        mock.reply("/backend-api/codex/responses", 200, "text/event-stream", sse, "openai-model", "gpt-5.5",
                "x-codex-primary-used-percent", "25", "x-codex-primary-window-minutes", "300");
        try (UpstreamCall call = adapter.open(request(Route.RESPONSES, Fixtures.chatgpt("acct"), Headers.EMPTY,
                "{\"model\":\"gpt-5.5\",\"input\":\"hi\"}", false))) {
            Reading.Reply reply = Reading.readAll(call);
            assertThat(call.usage().tokens()).isEqualTo(new TokenUsage(30, 0, 0, 4, 1));
            assertThat(call.usage().complete()).isTrue();
            return reply;
        }
    }

    @Test
    void theCompletedResponseIsTheBody() throws Exception {
        String output = "[{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":"
                + "\"output_text\",\"text\":\"Hi!\",\"annotations\":[]}]}]";

        Reading.Reply reply = nonStreaming(CREATED + DELTAS + completed(output));

        assertThat(reply.head().status()).isEqualTo(200);
        assertThat(reply.head().eventStream()).isFalse();
        assertThat(reply.head().clientHeaders().all("content-type")).containsExactly("application/json");
        assertThat(reply.head().clientHeaders().first("openai-model")).contains("gpt-5.5");
        assertThat(reply.head().windows()).isPresent();
        JsonNode body = JSON.readTree(reply.body());
        assertThat(body.path("id").asText()).isEqualTo("resp_7");
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(body.path("output")).isEqualTo(JSON.readTree(output));
        assertThat(body.path("usage").path("output_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void anEmptyOutputIsRebuiltFromTheDoneItemsInOutputOrder() throws Exception {
        Reading.Reply reply = nonStreaming(CREATED + DELTAS + ITEMS + completed("[]"));

        JsonNode output = JSON.readTree(reply.body()).path("output");
        assertThat(output).hasSize(2);
        assertThat(output.get(0).path("type").asText()).isEqualTo("reasoning");
        assertThat(output.get(1).path("content").get(0).path("text").asText()).isEqualTo("Hello, world");
    }

    @Test
    void withOnlyDeltasTheTextBecomesOneAssistantMessage() throws Exception {
        Reading.Reply reply = nonStreaming(CREATED + DELTAS + completed("[]"));

        JsonNode output = JSON.readTree(reply.body()).path("output");
        assertThat(output).hasSize(1);
        JsonNode message = output.get(0);
        assertThat(message.path("id").asText()).isEqualTo("msg_1");
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("content").get(0).path("type").asText()).isEqualTo("output_text");
        assertThat(message.path("content").get(0).path("text").asText()).isEqualTo("Hello, world");
    }

    @Test
    void aFailedResponseBecomesAnOpenAiError() throws Exception {
        mock.reply("/backend-api/codex/responses", 200, "text/event-stream", CREATED + """
                event: response.failed
                data: {"type":"response.failed","response":{"id":"resp_7","status":"failed","error":{"code":"context_length_exceeded","message":"Your input exceeds the context window."}}}

                """);

        Reading.Reply reply = Reading.readAll(adapter.open(request(Route.RESPONSES, Fixtures.chatgpt("acct"),
                Headers.EMPTY, "{}", false)));

        assertThat(reply.head().status()).isEqualTo(400);
        JsonNode error = JSON.readTree(reply.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("context_length_exceeded");
        assertThat(error.path("message").asText()).contains("context window");
    }

    @Test
    void aStreamThatEndsEarlyFailsBeforeAnythingReachesTheClient() {
        mock.reply("/backend-api/codex/responses", 200, "text/event-stream", CREATED + DELTAS);

        UpstreamCall call = adapter.open(request(Route.RESPONSES, Fixtures.chatgpt("acct"), Headers.EMPTY, "{}",
                false));

        assertThatThrownBy(call::awaitHead).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RESET));
        call.close();
    }

    @Test
    void aJsonErrorFromTheBackendIsRelayedAsIs() throws Exception {
        mock.reply("/backend-api/codex/responses", 400, "application/json", "{\"detail\":\"Store must be set to false\"}");

        Reading.Reply reply = Reading.readAll(adapter.open(request(Route.RESPONSES, Fixtures.chatgpt("acct"),
                Headers.EMPTY, "{}", false)));

        assertThat(reply.head().status()).isEqualTo(400);
        assertThat(reply.body()).isEqualTo("{\"detail\":\"Store must be set to false\"}");
    }

    @Test
    void aStreamingClientGetsTheEventsUntouched() throws Exception {
        String sse = CREATED + DELTAS + completed("[]");
        mock.reply("/backend-api/codex/responses", 200, "text/event-stream", sse);

        try (UpstreamCall call = adapter.open(request(Route.RESPONSES, Fixtures.chatgpt("acct"), Headers.EMPTY, "{}",
                true))) {
            Reading.Reply reply = Reading.readAll(call);
            assertThat(reply.head().eventStream()).isTrue();
            assertThat(reply.body()).isEqualTo(sse);
            assertThat(call.usage().responseId()).contains("resp_7");
            assertThat(call.usage().complete()).isTrue();
        }
    }
}
