package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Responses request translated to Anthropic Messages and back to Responses (by the other direction's codec) keeps
 * its meaning: the same texts by the same roles in order, the same tool calls (id, name, arguments) and tool outputs,
 * the same tools and instructions. And the Anthropic request in between is one Anthropic accepts: roles alternate,
 * and every tool result answers a call of the assistant turn just before it.
 */
class ResponsesRoundTripPropertiesTest {
    private static final List<String> FUNCTIONS = List.of("exec_command", "read_file", "grep_files");
    private static final String FREEFORM = "apply_patch";

    sealed interface Turn permits UserText, AssistantText, ToolCall {
    }

    record UserText(String text) implements Turn {
    }

    record AssistantText(String text) implements Turn {
    }

    /** A call and, right after it (as every client sends it), its output. */
    record ToolCall(String id, String name, String argument, String output) implements Turn {
    }

    @Provide
    Arbitrary<List<Turn>> conversations() {
        Arbitrary<String> text = Arbitraries.strings().withChars("abcxyz ÄéЖ中🙂\n\"\\{}").ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.isBlank());
        Arbitrary<String> id = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_-")
                .ofMinLength(4).ofMaxLength(24).map(s -> "call_" + s);
        Arbitrary<String> name = Arbitraries.of(List.of(FUNCTIONS.get(0), FUNCTIONS.get(1), FUNCTIONS.get(2), FREEFORM));
        Arbitrary<Turn> call = Combinators.combine(id, name, text, text).as(ToolCall::new);
        Arbitrary<Turn> turn = Arbitraries.oneOf(text.map(UserText::new), text.map(AssistantText::new), call);
        return Combinators.combine(text.map(t -> (Turn) new UserText(t)), turn.list().ofMaxSize(12))
                .as((first, rest) -> {
                    List<Turn> all = new ArrayList<>();
                    all.add(first);
                    all.addAll(rest);
                    return all;
                }).filter(ResponsesRoundTripPropertiesTest::uniqueCallIds);
    }

    private static boolean uniqueCallIds(List<Turn> turns) {
        Set<String> ids = new HashSet<>();
        return turns.stream().filter(t -> t instanceof ToolCall).allMatch(t -> ids.add(((ToolCall) t).id()));
    }

    static ObjectNode request(List<Turn> turns) {
        ObjectNode body = Json.object();
        body.put("model", "gpt-5-codex").put("instructions", "Be exact.").put("stream", true);
        ArrayNode input = body.putArray("input");
        for (Turn t : turns) {
            switch (t) {
                case UserText u -> input.addObject().put("type", "message").put("role", "user").putArray("content")
                        .addObject().put("type", "input_text").put("text", u.text());
                case AssistantText a -> input.addObject().put("type", "message").put("role", "assistant")
                        .putArray("content").addObject().put("type", "output_text").put("text", a.text());
                case ToolCall c -> {
                    if (FREEFORM.equals(c.name())) {
                        input.addObject().put("type", "custom_tool_call").put("call_id", c.id())
                                .put("name", c.name()).put("input", c.argument());
                        input.addObject().put("type", "custom_tool_call_output").put("call_id", c.id())
                                .put("output", c.output());
                    } else {
                        ObjectNode args = Json.object().put("value", c.argument());
                        input.addObject().put("type", "function_call").put("call_id", c.id()).put("name", c.name())
                                .put("arguments", Json.string(args));
                        input.addObject().put("type", "function_call_output").put("call_id", c.id())
                                .put("output", c.output());
                    }
                }
            }
        }
        ArrayNode tools = body.putArray("tools");
        for (String f : FUNCTIONS) {
            ObjectNode params = Json.object().put("type", "object");
            params.putObject("properties").putObject("value").put("type", "string");
            tools.addObject().put("type", "function").put("name", f).put("description", "d").set("parameters", params);
        }
        tools.addObject().put("type", "custom").put("name", FREEFORM).put("description", "patch");
        return body;
    }

    /** What a conversation means, read from a Responses input list; free-form calls read as their input text. */
    record Meaning(List<String> texts, List<String> calls, List<String> outputs) {
    }

    static Meaning meaning(JsonNode input) {
        List<String> texts = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (JsonNode item : input) {
            switch (item.path("type").asText("message")) {
                case "message" -> {
                    for (JsonNode part : item.path("content")) {
                        texts.add(item.path("role").asText() + ":" + part.path("text").asText());
                    }
                }
                case "function_call" -> {
                    JsonNode args = Json.parse(item.path("arguments").asText());
                    String value = FREEFORM.equals(item.path("name").asText()) ? args.path("input").asText()
                            : args.path("value").asText();
                    calls.add(item.path("call_id").asText() + " " + item.path("name").asText() + " " + value);
                }
                case "custom_tool_call" -> calls.add(item.path("call_id").asText() + " " + item.path("name").asText()
                        + " " + item.path("input").asText());
                case "function_call_output", "custom_tool_call_output" -> outputs.add(item.path("call_id").asText()
                        + " " + outputText(item.path("output")));
                default -> throw new AssertionError("unexpected item " + item);
            }
        }
        return new Meaning(texts, calls, outputs);
    }

    private static String outputText(JsonNode output) {
        if (output.isTextual()) {
            return output.textValue();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : output) {
            sb.append(part.path("text").asText());
        }
        return sb.toString();
    }

    @Property(tries = 300)
    void translatedThereAndBackARequestKeepsItsMeaning(@ForAll("conversations") List<Turn> turns) throws Untranslatable {
        ObjectNode original = request(turns);
        byte[] anthropic = new ResponsesToMessages().request(Json.bytes(original), "claude-sonnet-4-5");
        JsonNode back = Golden.json(new MessagesToResponses().request(anthropic, "gpt-5-codex"));

        Meaning there = meaning(original.path("input"));
        Meaning backAgain = meaning(back.path("input"));
        // Anthropic wants user turns first and last: the translation adds them where the history has none.
        List<String> expected = new java.util.ArrayList<>(there.texts());
        if (!turns.isEmpty() && !(turns.getFirst() instanceof UserText)) {
            expected.addFirst("user:" + AnthropicRequestBuilder.CONVERSATION_OPENER);
        }
        if (!turns.isEmpty() && turns.getLast() instanceof AssistantText) {
            expected.addLast("user:" + AnthropicRequestBuilder.CONTINUE_AFTER_ASSISTANT);
        }
        assertThat(backAgain).isEqualTo(new Meaning(expected, there.calls(), there.outputs()));
        assertThat(back.path("instructions").asText()).isEqualTo("Be exact.");
        assertThat(back.path("tools").findValuesAsText("name"))
                .containsExactlyElementsOf(original.path("tools").findValuesAsText("name"));
    }

    @Property(tries = 300)
    void theAnthropicRequestAlternatesRolesAndAnswersEveryCallInTheNextTurn(
            @ForAll("conversations") List<Turn> turns) throws Untranslatable {
        JsonNode anthropic = Golden.json(new ResponsesToMessages().request(Json.bytes(request(turns)), "claude"));
        JsonNode messages = anthropic.path("messages");
        assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
        Set<String> previousCalls = Set.of();
        String previousRole = "";
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            assertThat(role).as("roles alternate").isNotEqualTo(previousRole);
            Set<String> calls = new HashSet<>();
            boolean seenOther = false;
            for (JsonNode block : m.path("content")) {
                String type = block.path("type").asText();
                if ("tool_use".equals(type)) {
                    calls.add(block.path("id").asText());
                } else if ("tool_result".equals(type)) {
                    assertThat(seenOther).as("tool results come first in a user turn").isFalse();
                    assertThat(previousCalls).as("a result answers the turn before").contains(
                            block.path("tool_use_id").asText());
                } else {
                    seenOther = true;
                    if ("text".equals(type)) {
                        assertThat(block.path("text").asText()).isNotEmpty();
                    }
                }
            }
            previousCalls = calls;
            previousRole = role;
        }
    }
}
