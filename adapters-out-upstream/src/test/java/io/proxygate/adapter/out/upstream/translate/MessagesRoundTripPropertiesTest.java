package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The other half of {@link ResponsesRoundTripPropertiesTest}: an Anthropic Messages request (Claude Code's kind:
 * system prompt, tools, parallel tool calls answered by tool results in the next user turn) translated to Responses
 * and back to Messages keeps its meaning: the same texts by the same roles in order, the same tool calls (id, name,
 * input) and results (id, text), the same tools and system prompt. And the Responses request in between pairs every
 * {@code function_call_output} with an earlier {@code function_call} of the same {@code call_id}.
 */
class MessagesRoundTripPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TOOLS = List.of("Read", "Bash", "Glob");

    /** One exchange: the user's text, then the assistant's text and the calls it makes in parallel (maybe none). */
    record Exchange(String userText, String assistantText, List<Call> calls) {
    }

    record Call(String name, String argument, String result) {
    }

    @Provide
    Arbitrary<List<Exchange>> conversations() {
        Arbitrary<String> text = Arbitraries.strings().withChars("abcxyz ÄéЖ中🙂\n\"\\{}").ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.isBlank());
        Arbitrary<Call> call = Combinators.combine(Arbitraries.of(TOOLS), text, text).as(Call::new);
        return Combinators.combine(text, text, call.list().ofMaxSize(3)).as(Exchange::new).list().ofMinSize(1)
                .ofMaxSize(5);
    }

    /** The conversation as Claude Code sends it; tool-use ids are unique across it, as Anthropic makes them. */
    static ObjectNode request(List<Exchange> exchanges) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "claude-sonnet-4-5");
        body.put("max_tokens", 4096);
        body.putArray("system").addObject().put("type", "text").put("text", "Be exact.");
        ArrayNode tools = body.putArray("tools");
        for (String name : TOOLS) {
            ObjectNode tool = tools.addObject();
            tool.put("name", name);
            tool.put("description", name + " tool");
            tool.putObject("input_schema").put("type", "object").putObject("properties").putObject("arg")
                    .put("type", "string");
        }
        ArrayNode messages = body.putArray("messages");
        List<String> pendingIds = new ArrayList<>();
        List<String> pendingResults = new ArrayList<>();
        int n = 0;
        for (Exchange ex : exchanges) {
            ArrayNode user = messages.addObject().put("role", "user").putArray("content");
            for (int i = 0; i < pendingIds.size(); i++) {
                user.addObject().put("type", "tool_result").put("tool_use_id", pendingIds.get(i))
                        .put("content", pendingResults.get(i));
            }
            user.addObject().put("type", "text").put("text", ex.userText());
            pendingIds.clear();
            pendingResults.clear();
            ArrayNode assistant = messages.addObject().put("role", "assistant").putArray("content");
            assistant.addObject().put("type", "text").put("text", ex.assistantText());
            for (Call c : ex.calls()) {
                String id = "toolu_" + (n++);
                ObjectNode use = assistant.addObject().put("type", "tool_use").put("id", id).put("name", c.name());
                use.putObject("input").put("arg", c.argument());
                pendingIds.add(id);
                pendingResults.add(c.result());
            }
        }
        ArrayNode last = messages.addObject().put("role", "user").putArray("content");
        for (int i = 0; i < pendingIds.size(); i++) {
            last.addObject().put("type", "tool_result").put("tool_use_id", pendingIds.get(i))
                    .put("content", pendingResults.get(i));
        }
        last.addObject().put("type", "text").put("text", "go on");
        return body;
    }

    /** What the conversation says, message boundaries aside: texts by role, calls and results with their ids. */
    static List<String> meaning(JsonNode messages) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                out.add(role + ": " + content.asText());
                continue;
            }
            for (JsonNode block : content) {
                switch (block.path("type").asText()) {
                    case "text" -> out.add(role + ": " + block.path("text").asText());
                    case "tool_use" -> out.add("call " + block.path("id").asText() + " " + block.path("name").asText()
                            + " " + block.path("input"));
                    case "tool_result" -> out.add("result " + block.path("tool_use_id").asText() + " "
                            + resultText(block.path("content")));
                    default -> out.add("other " + block.path("type").asText());
                }
            }
        }
        return out;
    }

    private static String resultText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            sb.append(part.path("text").asText());
        }
        return sb.toString();
    }

    @Property(tries = 300)
    void translatedThereAndBackARequestKeepsItsMeaning(@ForAll("conversations") List<Exchange> exchanges)
            throws Exception {
        ObjectNode original = request(exchanges);
        byte[] responses = new MessagesToResponses().request(JSON.writeValueAsBytes(original), "gpt-5-codex");
        JsonNode back = JSON.readTree(new ResponsesToMessages().request(responses, "claude-sonnet-4-5"));

        assertThat(meaning(back.path("messages"))).isEqualTo(meaning(original.path("messages")));
        assertThat(back.path("system").isTextual() ? back.path("system").asText()
                : back.path("system").findValuesAsText("text").stream().reduce("", String::concat))
                .isEqualTo("Be exact.");
        assertThat(back.path("tools").findValuesAsText("name")).containsExactlyElementsOf(TOOLS);
        for (JsonNode tool : back.path("tools")) {
            assertThat(tool.path("input_schema").path("properties").has("arg")).isTrue();
        }
    }

    @Property(tries = 300)
    void everyToolOutputFollowsTheCallWithItsId(@ForAll("conversations") List<Exchange> exchanges) throws Exception {
        JsonNode responses = JSON.readTree(new MessagesToResponses().request(
                JSON.writeValueAsBytes(request(exchanges)), "gpt-5-codex"));
        List<String> called = new ArrayList<>();
        int outputs = 0;
        for (JsonNode item : responses.path("input")) {
            switch (item.path("type").asText()) {
                case "function_call" -> called.add(item.path("call_id").asText());
                case "function_call_output" -> {
                    outputs++;
                    assertThat(called).contains(item.path("call_id").asText());
                }
                default -> {
                }
            }
        }
        assertThat(outputs).isEqualTo(called.size());
        assertThat(called).doesNotHaveDuplicates();
    }
}
