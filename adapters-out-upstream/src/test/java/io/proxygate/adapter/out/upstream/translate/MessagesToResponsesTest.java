package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.adapter.out.upstream.sse.SseEvent;
import io.proxygate.adapter.out.upstream.sse.SseScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagesToResponsesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MessagesToResponses codec = new MessagesToResponses();

    static byte[] resource(String name) throws IOException {
        try (InputStream in = MessagesToResponsesTest.class.getResourceAsStream("/translate/messages-to-responses/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void aClaudeCodeRequestBecomesTheGoldenResponsesRequest() throws Exception {
        byte[] out = codec.request(resource("claude-code-request.json"), "gpt-5-codex");

        assertThat(JSON.readTree(out)).isEqualTo(JSON.readTree(resource("claude-code-request.expected.json")));
    }

    @Test
    void aResponsesReplyBecomesTheGoldenMessage() throws Exception {
        byte[] out = codec.reply(resource("reply-upstream.json"), "claude-sonnet-4-5");

        assertThat(JSON.readTree(out)).isEqualTo(JSON.readTree(resource("reply.expected.json")));
    }

    /** However the upstream's bytes are split, the client gets the golden events, in order. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 64, 100_000})
    void aResponsesStreamBecomesTheGoldenMessagesStream(int chunkSize) throws Exception {
        byte[] upstream = resource("stream-upstream.sse");
        List<Frame> out = translate(upstream, chunkSize, true);

        assertThat(out).isEqualTo(frames(new String(resource("stream.expected.sse"), StandardCharsets.UTF_8)));
    }

    @Test
    void eachUpstreamEventIsTranslatedAsItArrivesNotAtTheEnd() throws Exception {
        EventTranslator stream = codec.stream("claude-sonnet-4-5");
        List<byte[]> out = new ArrayList<>();
        stream.event("response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"r\"}}", out::add);
        assertThat(out).hasSize(1);
        stream.event("response.output_text.delta", "{\"item_id\":\"m\",\"delta\":\"Hel\"}", out::add);
        assertThat(new String(out.getLast(), StandardCharsets.UTF_8)).contains("\"text\":\"Hel\"");
    }

    @Test
    void summaryPartsAreSeparatedByABlankLineThatNeverTrailsTheThinking() {
        EventTranslator stream = codec.stream("claude-sonnet-4-5");
        StringBuilder thinking = new StringBuilder();
        java.util.function.Consumer<byte[]> out = frame -> {
            String text = new String(frame, StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"thinking\":\"((?:[^\"\\\\]|\\\\.)*)\"")
                    .matcher(text);
            if (text.contains("thinking_delta") && m.find()) {
                thinking.append(m.group(1).replace("\\n", "\n"));
            }
        };
        stream.event("response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"r\"}}", out);
        for (String part : List.of("First part.", "Second part.")) {
            stream.event("response.reasoning_summary_text.delta", "{\"item_id\":\"rs\",\"delta\":\"" + part + "\"}", out);
            stream.event("response.reasoning_summary_part.done", "{\"item_id\":\"rs\"}", out);
        }
        assertThat(thinking.toString()).isEqualTo("First part.\n\nSecond part.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web_search_20250305", "computer_20250124", "bash_20250124", "text_editor_20250429",
            "code_execution_20250522"})
    void anthropicServerToolsAreRefusedNotDropped(String type) {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"tools\":[{\"type\":\"" + type
                + "\",\"name\":\"t\"}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        assertThatThrownBy(() -> codec.request(body.getBytes(StandardCharsets.UTF_8), "gpt-5"))
                .isInstanceOf(Untranslatable.class).hasMessageContaining(type).hasMessageContaining("server-side tool");
    }

    @Test
    void serverToolBlocksInTheHistoryAreRefusedToo() {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"server_tool_use\","
                + "\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}]}]}";

        assertThatThrownBy(() -> codec.request(body.getBytes(StandardCharsets.UTF_8), "gpt-5"))
                .isInstanceOf(Untranslatable.class).hasMessageContaining("server_tool_use");
    }

    @Test
    void toolChoicesMapToTheirResponsesCounterparts() throws Exception {
        assertThat(choice("{\"type\":\"any\"}")).isEqualTo(JSON.readTree("\"required\""));
        assertThat(choice("{\"type\":\"tool\",\"name\":\"Read\"}"))
                .isEqualTo(JSON.readTree("{\"type\":\"function\",\"name\":\"Read\"}"));
        assertThat(choice("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}")).isEqualTo(JSON.readTree("\"auto\""));
        String body = "{\"model\":\"m\",\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true},"
                + "\"tools\":[{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}],\"messages\":[]}";
        assertThat(JSON.readTree(codec.request(body.getBytes(StandardCharsets.UTF_8), "gpt-5"))
                .path("parallel_tool_calls").asBoolean(true)).isFalse();
    }

    private JsonNode choice(String toolChoice) throws Exception {
        String body = "{\"model\":\"m\",\"tool_choice\":" + toolChoice
                + ",\"tools\":[{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}],\"messages\":[]}";
        return JSON.readTree(codec.request(body.getBytes(StandardCharsets.UTF_8), "gpt-5")).path("tool_choice");
    }

    @Test
    void samplingParametersReachOnlyModelsThatTakeThem() throws Exception {
        String body = "{\"model\":\"m\",\"temperature\":0.2,\"top_p\":0.9,\"messages\":[]}";
        JsonNode toGpt5 = JSON.readTree(codec.request(body.getBytes(StandardCharsets.UTF_8), "gpt-5-codex"));
        JsonNode toGpt41 = JSON.readTree(codec.request(body.getBytes(StandardCharsets.UTF_8), "gpt-4.1"));

        assertThat(toGpt5.has("temperature") || toGpt5.has("top_p")).isFalse();
        assertThat(toGpt41.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(toGpt41.path("top_p").asDouble()).isEqualTo(0.9);
    }

    @Test
    void thinkingBudgetsBecomeEffortLevels() {
        assertThat(MessagesToResponses.effort(1024, "enabled")).isEqualTo("low");
        assertThat(MessagesToResponses.effort(8000, "enabled")).isEqualTo("medium");
        assertThat(MessagesToResponses.effort(31999, "enabled")).isEqualTo("high");
        assertThat(MessagesToResponses.effort(0, "adaptive")).isEqualTo("medium");
    }

    @Test
    void upstreamErrorsComeBackInAnthropicsShapeWithTheUpstreamsWords() throws Exception {
        JsonNode limited = JSON.readTree(codec.error(429, ("{\"error\":{\"message\":\"Rate limit reached\","
                + "\"type\":\"rate_limit_exceeded\"}}").getBytes(StandardCharsets.UTF_8)));
        assertThat(limited.path("type").asText()).isEqualTo("error");
        assertThat(limited.path("error").path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(limited.path("error").path("message").asText()).isEqualTo("Rate limit reached");

        JsonNode codex = JSON.readTree(codec.error(400, "{\"detail\":\"Unsupported model\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(codex.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(codex.path("error").path("message").asText()).isEqualTo("Unsupported model");

        JsonNode html = JSON.readTree(codec.error(502, "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8)));
        assertThat(html.path("error").path("type").asText()).isEqualTo("api_error");
        assertThat(html.path("error").path("message").asText()).contains("bad gateway");
    }

    @Test
    void aFailedOrCutStreamEndsWithAnAnthropicErrorEvent() {
        EventTranslator failed = codec.stream("claude-sonnet-4-5");
        List<byte[]> out = new ArrayList<>();
        failed.event("response.failed", "{\"type\":\"response.failed\",\"response\":{\"error\":{\"code\":"
                + "\"rate_limit_exceeded\",\"message\":\"slow down\"}}}", out::add);
        assertThat(new String(out.getLast(), StandardCharsets.UTF_8)).startsWith("event: error\n")
                .contains("\"rate_limit_error\"", "slow down");

        EventTranslator cut = codec.stream("claude-sonnet-4-5");
        List<byte[]> cutOut = new ArrayList<>();
        cut.event("response.created", "{\"response\":{\"id\":\"r\"}}", cutOut::add);
        cut.end(false, cutOut::add);
        assertThat(new String(cutOut.getLast(), StandardCharsets.UTF_8)).startsWith("event: error\n").contains("cut");
    }

    @Test
    void aToolCallAnnouncedOnlyWhenDoneStillBecomesACompleteToolUseBlock() throws Exception {
        String upstream = "event: response.created\ndata: {\"response\":{\"id\":\"r\"}}\n\n"
                + "event: response.output_item.done\ndata: {\"item\":{\"type\":\"function_call\",\"id\":\"fc\","
                + "\"call_id\":\"call_Z\",\"name\":\"Glob\",\"arguments\":\"{\\\"pattern\\\":\\\"*\\\"}\"}}\n\n"
                + "event: response.completed\ndata: {\"response\":{\"id\":\"r\",\"status\":\"completed\",\"usage\":{}}}\n\n";
        List<Frame> out = translate(upstream.getBytes(StandardCharsets.UTF_8), 1000, true);

        assertThat(out).extracting(Frame::name).containsExactly("message_start", "content_block_start",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(out.get(1).data().path("content_block").path("id").asText()).isEqualTo("call_Z");
        assertThat(out.get(2).data().path("delta").path("partial_json").asText()).isEqualTo("{\"pattern\":\"*\"}");
        assertThat(out.get(4).data().path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void anIncompleteResponseStopsForMaxTokens() throws Exception {
        JsonNode reply = JSON.readTree(codec.reply(("{\"id\":\"r\",\"status\":\"incomplete\",\"incomplete_details\":"
                + "{\"reason\":\"max_output_tokens\"},\"output\":[],\"usage\":{}}").getBytes(StandardCharsets.UTF_8), "m"));
        assertThat(reply.path("stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void countTokensIsEstimatedFromTheTranslatedRequest() throws Exception {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(4000) + "\"}]}";
        assertThat(codec.estimateInputTokens(body.getBytes(StandardCharsets.UTF_8))).isBetween(1000L, 1100L);
    }

    @Test
    void messageStartAnnouncesTheEstimatedInputAndMessageDeltaTheUpstreamsCount() throws Exception {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"" + "x".repeat(4000) + "\"}]}";
        TranslatedRequest translated = codec.translate(body.getBytes(StandardCharsets.UTF_8), "gpt-5-codex");
        EventTranslator stream = codec.stream("claude-sonnet-4-5", translated.context());
        List<byte[]> out = new ArrayList<>();
        stream.event("response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"r\"}}", out::add);
        stream.event("response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":\"r\","
                + "\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":1234,\"output_tokens\":5}}}",
                out::add);

        JsonNode start = data(out.get(0));
        // About four characters a token of the translated request, as count_tokens estimates.
        assertThat(start.path("message").path("usage").path("input_tokens").asLong()).isBetween(1000L, 1100L);
        JsonNode delta = data(out.get(1));
        assertThat(delta.path("type").asText()).isEqualTo("message_delta");
        assertThat(delta.path("usage").path("input_tokens").asLong()).isEqualTo(1234);
    }

    private static JsonNode data(byte[] frame) throws IOException {
        String text = new String(frame, StandardCharsets.UTF_8);
        return JSON.readTree(text.substring(text.indexOf("data: ") + 6).trim());
    }

    // ---- helpers ----

    record Frame(String name, JsonNode data) {
    }

    private List<Frame> translate(byte[] upstream, int chunkSize, boolean clean) {
        EventTranslator stream = codec.stream("claude-sonnet-4-5");
        SseScanner scanner = new SseScanner(SseScanner.DEFAULT_MAX_EVENT_BYTES, t -> true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.function.Consumer<SseEvent> events = e -> stream.event(
                SseEvent.DEFAULT_TYPE.equals(e.type()) ? null : e.type(), e.data(), out::writeBytes);
        for (int i = 0; i < upstream.length; i += chunkSize) {
            scanner.feed(ByteBuffer.wrap(upstream, i, Math.min(chunkSize, upstream.length - i)), events);
        }
        scanner.finish(events);
        stream.end(clean, out::writeBytes);
        return frames(out.toString(StandardCharsets.UTF_8));
    }

    static List<Frame> frames(String sse) {
        List<Frame> frames = new ArrayList<>();
        for (String block : sse.split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            String name = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            try {
                frames.add(new Frame(name, JSON.readTree(data)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return frames;
    }
}
