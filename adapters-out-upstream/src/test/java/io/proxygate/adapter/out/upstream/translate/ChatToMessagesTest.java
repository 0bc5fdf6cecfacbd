package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatToMessagesTest {
    private final ChatToMessages codec = new ChatToMessages();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void translatesSystemImagesParallelToolCallsAndResults() throws Untranslatable {
        TranslatedRequest t = codec.translate(Golden.bytes("chat-request.json"), "claude-sonnet-4-5");
        Golden.assertJson(t.body(), "chat-request.messages.json");
        assertThat(t.context().includeUsage()).isTrue();

        JsonNode body = Golden.json(t.body());
        JsonNode results = body.path("messages").get(2).path("content");
        assertThat(results.findValuesAsText("tool_use_id")).as("both results in one user turn, in order")
                .containsExactly("call_w1", "call_w2");
    }

    @Test
    void refusesWhatAnthropicCannotDo() {
        assertThatThrownBy(() -> codec.request(utf8("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":2}"),
                "c")).isInstanceOf(Untranslatable.class).hasMessageContaining("n > 1");
        assertThatThrownBy(() -> codec.request(utf8("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\",\"schema\":{}}}}"),
                "c")).hasMessageContaining("structured output");
        assertThatThrownBy(() -> codec.request(utf8("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"input_audio\",\"input_audio\":{}}]}]}"), "c")).hasMessageContaining("input_audio");
        assertThatThrownBy(() -> codec.request(utf8("{\"messages\":[{\"role\":\"function\",\"name\":\"f\","
                + "\"content\":\"x\"}]}"), "c")).hasMessageContaining("legacy function role");
    }

    @Test
    void repliesWithAChatCompletionCarryingTextToolCallsFinishReasonAndUsage() {
        JsonNode r = Golden.json(codec.reply(Golden.bytes("anthropic-reply.json"), "gpt-4o"));
        assertThat(r.path("id").asText()).isEqualTo("chatcmpl-01XFDUDYJgAACzvnptvVoYEL");
        assertThat(r.path("object").asText()).isEqualTo("chat.completion");
        assertThat(r.path("model").asText()).isEqualTo("gpt-4o");
        JsonNode choice = r.path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("I'll create the file and start a helper.");
        assertThat(choice.path("message").path("tool_calls").findValuesAsText("id"))
                .containsExactly("toolu_01A", "toolu_01B", "toolu_01C");
        assertThat(choice.path("message").path("tool_calls").get(0).path("function").path("arguments").asText())
                .isEqualTo("{\"cmd\":\"ls -la\",\"login\":false}");
        JsonNode usage = r.path("usage");
        assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(120 + 2048 + 9000);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(9000);
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(310);
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(120 + 2048 + 9000 + 310);
    }

    @Test
    void streamsChunksWithToolCallIndexesAFinishReasonAndTheUsageChunkOnlyWhenAsked() {
        String withUsage = Golden.translateStream(codec.stream("gpt-4o",
                new ReplyContext(java.util.Set.of(), java.util.Map.of(), true)), Golden.text("anthropic-stream.sse"), true);
        Golden.assertText(withUsage.replaceAll("\"created\":\\d+", "\"created\":0"), "anthropic-stream.chat.sse");

        String without = Golden.translateStream(codec.stream("gpt-4o"), Golden.text("anthropic-stream.sse"), true);
        assertThat(without).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
        assertThat(without).doesNotContain("event:");
    }

    @Test
    void aStreamErrorBecomesAnErrorChunkAndDone() {
        String out = Golden.translateStream(codec.stream("gpt-4o"), "event: message_start\ndata: {\"type\":"
                + "\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{}}}\n\nevent: error\ndata: {\"type\":"
                + "\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}\n\n", true);
        assertThat(out).contains("data: {\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\","
                + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}\n\n").endsWith("data: [DONE]\n\n");
    }
}
