package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponsesToMessagesTest {
    private final ResponsesToMessages codec = new ResponsesToMessages();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void translatesACodexTurnWithShellPatchAndNamespacedTools() throws Untranslatable {
        TranslatedRequest t = codec.translate(Golden.bytes("codex-request.json"), "claude-sonnet-4-5");

        Golden.assertJson(t.body(), "codex-request.messages.json");
        assertThat(t.context().freeformTools()).containsExactly("apply_patch");
        assertThat(t.context().namespacedTools()).containsEntry("spawn_agent",
                new ReplyContext.NamespacedTool("multi_agent_v1", "spawn_agent"));
        assertThat(t.notes()).anyMatch(n -> n.contains("reasoning item from OpenAI was dropped"));
    }

    /**
     * codex-second-turn.json is what Codex CLI 0.169 sent after reading anthropic-stream.responses.sse (this codec's
     * own translated stream): it ran the shell call, answered the unoffered apply_patch with an error, and handed back
     * the reasoning item and call ids unchanged. Its web_search tool (on by default in Codex) is removed here.
     */
    @Test
    void continuesARealCodexTurnBuiltFromOurOwnTranslatedStream() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode body =
                (com.fasterxml.jackson.databind.node.ObjectNode) Golden.json(Golden.bytes("codex-second-turn.json"));
        com.fasterxml.jackson.databind.node.ArrayNode tools = (com.fasterxml.jackson.databind.node.ArrayNode) body.get("tools");
        tools.remove(tools.size() - 1);
        JsonNode out = Golden.json(codec.request(Golden.MAPPER.writeValueAsBytes(body), "claude-sonnet-4-5"));

        JsonNode messages = out.path("messages");
        JsonNode assistant = messages.get(messages.size() - 2).path("content");
        assertThat(assistant.findValuesAsText("type")).containsExactly("thinking", "text", "tool_use", "tool_use");
        assertThat(assistant.get(0).path("signature").asText()).isEqualTo("EqQBCkYIBxgCKkAsig==");
        assertThat(assistant.get(3).path("input").path("input").asText()).isEqualTo("*** Begin Patch\n*** End Patch\n");
        JsonNode results = messages.get(messages.size() - 1).path("content");
        assertThat(results.findValuesAsText("tool_use_id")).containsExactly("toolu_01A", "toolu_01B");
        assertThat(out.path("thinking").path("budget_tokens").asInt()).as("the replayed thinking lets it stay on")
                .isEqualTo(10000);
    }

    @Test
    void aHistoryThatStartsOrEndsWithTheAssistantGetsUserTurnsAroundIt() throws Exception {
        String body = "{\"model\":\"gpt-5\",\"input\":[{\"type\":\"message\",\"role\":\"assistant\",\"content\":"
                + "[{\"type\":\"output_text\",\"text\":\"Hi, how can I help?\"}]},{\"type\":\"message\",\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_text\",\"text\":\"Name a colour.\"}]},{\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Blue\"}]}]}";
        TranslatedRequest t = codec.translate(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "claude-sonnet-4-5");

        JsonNode messages = Golden.json(t.body()).path("messages");
        assertThat(messages.findValuesAsText("role")).containsExactly("user", "assistant", "user", "assistant", "user");
        assertThat(messages.get(0).path("content").get(0).path("text").asText())
                .isEqualTo(AnthropicRequestBuilder.CONVERSATION_OPENER);
        assertThat(messages.get(3).path("content").get(0).path("text").asText()).isEqualTo("Blue");
        assertThat(messages.get(4).path("content").get(0).path("text").asText())
                .isEqualTo(AnthropicRequestBuilder.CONTINUE_AFTER_ASSISTANT);
        assertThat(t.notes()).anyMatch(n -> n.contains("user turn was put first"))
                .anyMatch(n -> n.contains("user turn was added last"));
    }

    @Test
    void refusesCodexDefaultWebSearchToolWithAHintHowToTurnItOff() {
        assertThatThrownBy(() -> codec.request(Golden.bytes("codex-first-turn.json"), "claude-sonnet-4-5"))
                .isInstanceOf(Untranslatable.class)
                .hasMessageContaining("web_search tool runs on OpenAI's servers")
                .hasMessageContaining("web_search = \"disabled\"");
    }

    @Test
    void refusesOtherServerSideToolsAndStoredState() {
        for (String tool : new String[] {"file_search", "code_interpreter", "computer_use_preview", "image_generation",
                "mcp", "local_shell"}) {
            assertThatThrownBy(() -> codec.request(utf8("{\"input\":\"hi\",\"tools\":[{\"type\":\"" + tool + "\"}]}"),
                    "claude-sonnet-4-5")).as(tool).isInstanceOf(Untranslatable.class).hasMessageContaining(tool);
        }
        assertThatThrownBy(() -> codec.request(utf8("{\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}"), "c"))
                .hasMessageContaining("previous_response_id");
        assertThatThrownBy(() -> codec.request(utf8("{\"input\":[{\"type\":\"computer_call\",\"id\":\"cu_1\"}]}"),
                "c")).hasMessageContaining("computer_call");
        assertThatThrownBy(() -> codec.request(utf8("{\"input\":[{\"type\":\"compaction\",\"encrypted_content\":\"x\"}]}"),
                "c")).hasMessageContaining("compacted");
        assertThatThrownBy(() -> codec.request(utf8("{\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\"}}}"),
                "c")).hasMessageContaining("structured output");
        assertThatThrownBy(() -> codec.request(utf8("{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"input_image\",\"file_id\":\"file_1\"}]}]}"), "c")).hasMessageContaining("file_id");
    }

    @Test
    void aStringInputWithInstructionsBecomesSystemAndOneUserMessage() throws Untranslatable {
        byte[] out = codec.request(utf8("{\"model\":\"gpt-5\",\"instructions\":\"Be brief.\",\"input\":\"Hello\","
                + "\"max_output_tokens\":300,\"temperature\":0.2,\"stream\":false}"), "claude-haiku-4-5");
        JsonNode body = Golden.json(out);
        assertThat(body.path("model").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(300);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("stream").asBoolean(true)).isFalse();
        assertThat(body.path("system").get(0).path("text").asText()).isEqualTo("Be brief.");
        assertThat(body.path("messages")).hasSize(1);
        assertThat(body.path("messages").get(0).path("content").get(0).path("text").asText()).isEqualTo("Hello");
        assertThat(body.has("thinking")).isFalse();
    }

    @Test
    void reasoningEffortBecomesAThinkingBudgetBelowTheOutputLimitUnlessAToolIsForced() throws Untranslatable {
        JsonNode high = Golden.json(codec.request(utf8("{\"input\":\"x\",\"reasoning\":{\"effort\":\"high\"},"
                + "\"temperature\":0.5}"), "claude-opus-4-1"));
        assertThat(high.path("thinking").path("budget_tokens").asInt()).isEqualTo(24000);
        assertThat(high.path("max_tokens").asInt()).isEqualTo(32000);
        assertThat(high.has("temperature")).as("Anthropic rejects temperature with thinking").isFalse();

        JsonNode capped = Golden.json(codec.request(utf8("{\"input\":\"x\",\"reasoning\":{\"effort\":\"high\"},"
                + "\"max_output_tokens\":5000}"), "claude-opus-4-1"));
        assertThat(capped.path("thinking").path("budget_tokens").asInt()).isEqualTo(5000 - 1024);

        JsonNode minimal = Golden.json(codec.request(utf8("{\"input\":\"x\",\"reasoning\":{\"effort\":\"minimal\"}}"),
                "c"));
        assertThat(minimal.has("thinking")).isFalse();

        JsonNode forced = Golden.json(codec.request(utf8("{\"input\":\"x\",\"reasoning\":{\"effort\":\"low\"},"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}],"
                + "\"tool_choice\":\"required\",\"parallel_tool_calls\":false}"), "c"));
        assertThat(forced.has("thinking")).isFalse();
        assertThat(forced.path("tool_choice").path("type").asText()).isEqualTo("any");
        assertThat(forced.path("tool_choice").path("disable_parallel_tool_use").asBoolean()).isTrue();
    }

    @Test
    void ourOwnReasoningItemReplaysAsTheSignedThinkingBlock() throws Untranslatable {
        String body = "{\"input\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"I think\"}],"
                + "\"encrypted_content\":\"anthropic-thinking:SIG==\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"toolu_1\",\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"toolu_1\",\"output\":\"42\"}],"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}],"
                + "\"reasoning\":{\"effort\":\"medium\"}}";
        JsonNode out = Golden.json(codec.request(utf8(body), "claude-sonnet-4-5"));
        JsonNode assistant = out.path("messages").get(1);
        assertThat(assistant.path("content").get(0).path("type").asText()).isEqualTo("thinking");
        assertThat(assistant.path("content").get(0).path("thinking").asText()).isEqualTo("I think");
        assertThat(assistant.path("content").get(0).path("signature").asText()).isEqualTo("SIG==");
        assertThat(assistant.path("content").get(1).path("id").asText()).isEqualTo("toolu_1");
        assertThat(out.path("thinking").path("budget_tokens").asInt()).as("the loop carries its thinking")
                .isEqualTo(10000);

        String withoutThinking = body.replace("\"anthropic-thinking:SIG==\"", "\"gAAAA-openai\"");
        JsonNode off = Golden.json(codec.request(utf8(withoutThinking), "claude-sonnet-4-5"));
        assertThat(off.has("thinking")).as("Anthropic would reject a tool loop without its thinking").isFalse();
    }

    @Test
    void repliesWithTheAnthropicMessageAsAResponseObject() throws Untranslatable {
        ReplyContext context = codec.translate(Golden.bytes("codex-request.json"), "claude-sonnet-4-5").context();
        byte[] reply = codec.reply(Golden.bytes("anthropic-reply.json"), "gpt-5-codex", context);
        JsonNode r = Golden.json(reply);
        ((com.fasterxml.jackson.databind.node.ObjectNode) r).put("created_at", 0);
        Golden.assertJson(Golden.MAPPER.valueToTree(r).toString().getBytes(StandardCharsets.UTF_8),
                "anthropic-reply.responses.json");
    }

    @Test
    void withoutContextEveryToolCallGoesBackAsAFunctionCall() {
        JsonNode r = Golden.json(codec.reply(Golden.bytes("anthropic-reply.json"), "gpt-5-codex"));
        assertThat(r.path("output").findValuesAsText("type")).doesNotContain("custom_tool_call");
        JsonNode patch = r.path("output").get(3);
        assertThat(patch.path("name").asText()).isEqualTo("apply_patch");
        assertThat(Golden.json(patch.path("arguments").asText().getBytes(StandardCharsets.UTF_8)).path("input")
                .asText()).startsWith("*** Begin Patch");
    }

    @Test
    void stopReasonsBecomeStatusAndIncompleteDetails() {
        String template = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"partial\"}],\"stop_reason\":\"%s\",\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}";
        JsonNode cut = Golden.json(codec.reply(utf8(template.formatted("max_tokens")), "m"));
        assertThat(cut.path("status").asText()).isEqualTo("incomplete");
        assertThat(cut.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
        JsonNode refused = Golden.json(codec.reply(utf8(template.formatted("refusal")), "m"));
        assertThat(refused.path("incomplete_details").path("reason").asText()).isEqualTo("content_filter");
        JsonNode done = Golden.json(codec.reply(utf8(template.formatted("end_turn")), "m"));
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("incomplete_details").isNull()).isTrue();
    }

    @Test
    void errorsComeBackInOpenAiShapeWithTheCodeCodexActsOn() {
        JsonNode rate = Golden.json(codec.error(429, utf8("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}")));
        assertThat(rate.path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(rate.path("error").path("message").asText()).startsWith("Number of request tokens");
        JsonNode tooLong = Golden.json(codec.error(400, utf8("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"invalid_request_error\",\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}")));
        assertThat(tooLong.path("error").path("code").asText()).isEqualTo("context_length_exceeded");
        JsonNode overloaded = Golden.json(codec.error(529, utf8("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"overloaded_error\",\"message\":\"Overloaded\"}}")));
        assertThat(overloaded.path("error").path("code").asText()).isEqualTo("server_is_overloaded");
        JsonNode html = Golden.json(codec.error(502, utf8("<html>bad gateway</html>")));
        assertThat(html.path("error").path("message").asText()).contains("502").contains("bad gateway");
        assertThat(html.path("error").path("type").asText()).isEqualTo("api_error");
    }

    @Test
    void streamsAnthropicEventsAsTheResponsesEventsCodexAccumulates() throws Untranslatable {
        ReplyContext context = codec.translate(Golden.bytes("codex-request.json"), "claude-sonnet-4-5").context();
        String out = Golden.translateStream(codec.stream("gpt-5-codex", context), Golden.text("anthropic-stream.sse"),
                true);
        Golden.assertText(out.replaceAll("\"created_at\":\\d+", "\"created_at\":0"), "anthropic-stream.responses.sse");

        // Codex builds its turn from output_item.done items and needs response.completed with the usage.
        assertThat(out).contains("event: response.created\n", "event: response.completed\n");
        assertThat(out.indexOf("response.output_item.done")).isLessThan(out.indexOf("response.completed"));
    }

    @Test
    void streamedFreeformInputArrivesAsDecodedTextDeltas() {
        ReplyContext context = new ReplyContext(Set.of("apply_patch"), java.util.Map.of(), false);
        EventTranslator t = codec.stream("gpt-5-codex", context);
        StringBuilder deltas = new StringBuilder();
        StringBuilder all = new StringBuilder();
        java.util.function.Consumer<byte[]> out = f -> {
            String frame = new String(f, StandardCharsets.UTF_8);
            all.append(frame);
            if (frame.startsWith("event: response.custom_tool_call_input.delta")) {
                deltas.append(Golden.json(frame.substring(frame.indexOf("data: ") + 6).strip()
                        .getBytes(StandardCharsets.UTF_8)).path("delta").asText());
            }
        };
        t.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_9\",\"usage\":{}}}", out);
        t.event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":"
                + "\"tool_use\",\"id\":\"toolu_9\",\"name\":\"apply_patch\",\"input\":{}}}", out);
        // Fragments split inside the key, inside an escape and inside a \\u escape.
        for (String fragment : new String[] {"{\"in", "put\": \"*** Begin", " Patch\\", "n+caf\\u00", "e9\\\"\\\\", "\"}"}) {
            t.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                    + "\"input_json_delta\",\"partial_json\":" + Golden.MAPPER.valueToTree(fragment) + "}}", out);
        }
        t.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}", out);
        assertThat(deltas.toString()).isEqualTo("*** Begin Patch\n+café\"\\");
        assertThat(all.toString()).contains("\"input\":\"*** Begin Patch\\n+café\\\"\\\\\"");
    }

    @Test
    void aStreamErrorOrACutStreamEndsWithResponseFailed() {
        EventTranslator t = codec.stream("gpt-5", ReplyContext.NONE);
        String out = Golden.translateStream(t, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
                + "{\"id\":\"msg_2\",\"usage\":{\"input_tokens\":3}}}\n\nevent: error\ndata: {\"type\":\"error\","
                + "\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n", true);
        assertThat(out).contains("event: response.failed\n").contains("\"code\":\"server_is_overloaded\"")
                .contains("\"message\":\"Overloaded\"");
        assertThat(out.split("event: response.failed").length).as("failed once, not again at end").isEqualTo(2);

        String cut = Golden.translateStream(codec.stream("gpt-5", ReplyContext.NONE), "event: message_start\ndata: "
                + "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_3\",\"usage\":{}}}\n\n", false);
        assertThat(cut).contains("event: response.failed\n").contains("the upstream stream was cut");
    }

    @Test
    void aSessionStartedOnOpenAiContinuesWithoutItsPastSearchRecords() throws Untranslatable {
        TranslatedRequest t = codec.translate(utf8("{\"input\":[{\"role\":\"user\",\"content\":\"news?\"},"
                + "{\"type\":\"web_search_call\",\"id\":\"ws_1\",\"status\":\"completed\",\"action\":{\"type\":"
                + "\"search\",\"query\":\"news\"}},{\"type\":\"message\",\"role\":\"assistant\",\"content\":"
                + "[{\"type\":\"output_text\",\"text\":\"Here is the news.\"}]},{\"role\":\"user\",\"content\":"
                + "\"thanks\"}]}"), "claude-sonnet-4-5");
        JsonNode messages = Golden.json(t.body()).path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1).path("content").get(0).path("text").asText()).isEqualTo("Here is the news.");
        assertThat(t.notes()).anyMatch(n -> n.contains("web_search_call record was dropped"));
    }
}
