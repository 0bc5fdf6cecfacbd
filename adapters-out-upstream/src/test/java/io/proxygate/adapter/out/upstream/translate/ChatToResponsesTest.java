package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatToResponsesTest {
    private final ChatToResponses codec = new ChatToResponses();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void translatesMessagesToInstructionsAndInputItems() throws Untranslatable {
        String body = new String(Golden.bytes("chat-request.json"), StandardCharsets.UTF_8)
                .replace("\"stop\": [\"END\"],", "");
        TranslatedRequest t = codec.translate(utf8(body), "gpt-5-codex");
        Golden.assertJson(t.body(), "chat-request.responses.json");
        assertThat(t.context().includeUsage()).isTrue();
        assertThat(t.notes()).anyMatch(n -> n.startsWith("user dropped"));
    }

    @Test
    void refusesStopSequencesWhichTheResponsesApiLacks() {
        assertThatThrownBy(() -> codec.request(Golden.bytes("chat-request.json"), "gpt-5"))
                .isInstanceOf(Untranslatable.class).hasMessageContaining("stop sequences");
    }

    @Test
    void mapsStructuredOutputAndForcedToolChoice() throws Untranslatable {
        JsonNode out = Golden.json(codec.request(utf8("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"strict\":true,"
                + "\"schema\":{\"type\":\"object\"}}},\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}},\"reasoning_effort\":\"low\"}"),
                "gpt-5"));
        assertThat(out.path("text").path("format").path("type").asText()).isEqualTo("json_schema");
        assertThat(out.path("text").path("format").path("name").asText()).isEqualTo("answer");
        assertThat(out.path("text").path("format").path("strict").asBoolean()).isTrue();
        assertThat(out.path("tool_choice").path("name").asText()).isEqualTo("f");
        assertThat(out.path("reasoning").path("effort").asText()).isEqualTo("low");
        assertThat(out.path("store").asBoolean(true)).isFalse();
    }

    @Test
    void repliesWithAChatCompletion() {
        JsonNode r = Golden.json(codec.reply(Golden.bytes("responses-reply.json"), "claude-sonnet-4-5"));
        assertThat(r.path("id").asText()).isEqualTo("chatcmpl-abc123");
        JsonNode choice = r.path("choices").get(0);
        assertThat(choice.path("message").path("content").asText()).isEqualTo("Paris: 18°C at 14:05.");
        assertThat(choice.path("message").path("tool_calls").get(0).path("id").asText()).isEqualTo("call_x1");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(r.path("usage").path("prompt_tokens").asLong()).isEqualTo(812);
        assertThat(r.path("usage").path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(512);
        assertThat(r.path("usage").path("completion_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(20);
    }

    @Test
    void anIncompleteResponseFinishesWithLength() {
        JsonNode r = Golden.json(codec.reply(utf8("{\"id\":\"resp_1\",\"status\":\"incomplete\",\"incomplete_details\":"
                + "{\"reason\":\"max_output_tokens\"},\"output\":[{\"type\":\"message\",\"content\":[{\"type\":"
                + "\"output_text\",\"text\":\"cut\"}]}]}"), "m"));
        assertThat(r.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void streamsChunksIncludingCallsSentWhole() {
        String out = Golden.translateStream(codec.stream("claude-sonnet-4-5",
                new ReplyContext(java.util.Set.of(), java.util.Map.of(), true)), Golden.text("responses-stream.sse"), true);
        Golden.assertText(out.replaceAll("\"created\":\\d+", "\"created\":0"), "responses-stream.chat.sse");
        assertThat(out).contains("\"index\":1,\"id\":\"call_x2\"").contains("\"finish_reason\":\"tool_calls\"");
    }

    @Test
    void errorsKeepOpenAiShape() {
        JsonNode e = Golden.json(codec.error(429, utf8("{\"error\":{\"message\":\"Rate limit reached\",\"type\":"
                + "\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}")));
        assertThat(e.path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
        JsonNode detail = Golden.json(codec.error(400, utf8("{\"detail\":\"Unsupported model\"}")));
        assertThat(detail.path("error").path("message").asText()).isEqualTo("Unsupported model");
        String failed = Golden.translateStream(codec.stream("m"), "event: response.failed\ndata: {\"type\":"
                + "\"response.failed\",\"response\":{\"id\":\"resp_1\",\"status\":\"failed\",\"error\":{\"code\":"
                + "\"server_error\",\"message\":\"boom\"}}}\n\n", true);
        assertThat(failed).contains("\"message\":\"boom\"").contains("\"code\":\"server_error\"")
                .endsWith("data: [DONE]\n\n");
    }
}
