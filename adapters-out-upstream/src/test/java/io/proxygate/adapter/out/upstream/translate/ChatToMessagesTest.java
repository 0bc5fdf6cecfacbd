package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

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

    @Test
    void reasoningEffortThinksUnlessHistoryContinuesAToolLoop() throws Untranslatable {
        JsonNode fresh = Golden.json(codec.request(utf8("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"reasoning_effort\":\"medium\",\"temperature\":0.7}"), "claude-sonnet-4-5"));
        assertThat(fresh.path("thinking").path("budget_tokens").asInt()).isEqualTo(10000);
        assertThat(fresh.has("temperature")).isFalse();

        TranslatedRequest loop = codec.translate(utf8("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"f\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\","
                + "\"content\":\"ok\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
                + "\"reasoning_effort\":\"high\"}"), "claude-sonnet-4-5");
        assertThat(Golden.json(loop.body()).has("thinking")).isFalse();
        assertThat(loop.notes()).anyMatch(n -> n.startsWith("thinking off"));
    }

    @Test
    void aLaterSystemMessageTravelsAsUserTextWithANote() throws Untranslatable {
        TranslatedRequest t = codec.translate(utf8("{\"messages\":[{\"role\":\"system\",\"content\":\"S\"},"
                + "{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"assistant\",\"content\":\"a\"},"
                + "{\"role\":\"system\",\"content\":\"later\"}]}"), "c");
        JsonNode body = Golden.json(t.body());
        assertThat(body.path("system").get(0).path("text").asText()).isEqualTo("S");
        JsonNode last = body.path("messages").get(2);
        assertThat(last.path("role").asText()).isEqualTo("user");
        assertThat(last.path("content").get(0).path("text").asText()).isEqualTo("later");
        assertThat(t.notes()).anyMatch(n -> n.contains("system message after the conversation started"));
    }

    @Test
    void callIdsAnthropicWouldRejectAreRewrittenAlikeForCallAndResult() throws Untranslatable {
        JsonNode body = Golden.json(codec.request(utf8("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"fc:1.a\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"f\",\"arguments\":\"{}\"}},{\"id\":\"fc:1/a\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"f\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"fc:1.a\","
                + "\"content\":\"1\"},{\"role\":\"tool\",\"tool_call_id\":\"fc:1/a\",\"content\":\"2\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}"), "c"));
        List<String> uses = body.path("messages").get(1).findValuesAsText("id");
        List<String> results = body.path("messages").get(2).findValuesAsText("tool_use_id");
        assertThat(uses).allMatch(id -> id.matches("[A-Za-z0-9_-]+")).doesNotHaveDuplicates();
        assertThat(results).isEqualTo(uses);
    }
}
