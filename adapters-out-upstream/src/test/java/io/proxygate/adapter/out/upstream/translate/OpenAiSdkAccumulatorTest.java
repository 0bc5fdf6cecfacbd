package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official openai-java SDK's own stream accumulators, fed a translated stream, rebuild the same reply as the
 * translated non-streamed answer to the same upstream message.
 */
class OpenAiSdkAccumulatorTest {
    private static final ObjectMapper SDK = ObjectMappers.jsonMapper();
    private static final ReplyContext CODEX = new ReplyContext(Set.of("apply_patch"), Map.of(), false);

    private static List<String> frames(EventTranslator t, String upstreamSse) {
        List<String> frames = new ArrayList<>();
        for (String[] e : Golden.events(upstreamSse)) {
            t.event(e[0], e[1], f -> frames.add(new String(f, StandardCharsets.UTF_8)));
        }
        t.end(true, f -> frames.add(new String(f, StandardCharsets.UTF_8)));
        return frames;
    }

    private static String data(String frame) {
        return frame.substring(frame.indexOf("data: ") + 6).strip();
    }

    @Test
    void responseAccumulatorRebuildsTheNonStreamedReply() throws IOException {
        ResponsesToMessages codec = new ResponsesToMessages();
        Response expected = SDK.readValue(codec.reply(Golden.bytes("anthropic-stream.message.json"), "gpt-5-codex",
                CODEX), Response.class);

        ResponseAccumulator accumulator = ResponseAccumulator.createWithSnapshots();
        for (String frame : frames(codec.stream("gpt-5-codex", CODEX), Golden.text("anthropic-stream.sse"))) {
            accumulator.accumulate(SDK.readValue(data(frame), ResponseStreamEvent.class));
        }

        for (Response streamed : List.of(accumulator.response(), accumulator.reconstructedResponse())) {
            assertThat(streamed.id()).isEqualTo(expected.id());
            assertThat(streamed.status()).isEqualTo(expected.status());
            assertThat(summary(streamed.output())).isEqualTo(summary(expected.output()))
                    .hasSize(4);
        }
        assertThat(accumulator.response().usage()).isEqualTo(expected.usage());
        assertThat(summary(expected.output()).get(1)).contains("Let me look — ok.");
    }

    /** Each output item as a comparable line; arguments compared as JSON, since deltas keep the model's spacing. */
    private static List<String> summary(List<ResponseOutputItem> output) throws IOException {
        List<String> lines = new ArrayList<>();
        for (ResponseOutputItem item : output) {
            if (item.isMessage()) {
                var m = item.asMessage();
                lines.add("message " + m.id() + " " + m.content().stream()
                        .map(c -> c.asOutputText().text()).toList());
            } else if (item.isFunctionCall()) {
                var f = item.asFunctionCall();
                lines.add("function " + f.id().orElse("") + " " + f.callId() + " " + f.name() + " "
                        + Golden.MAPPER.readTree(f.arguments()));
            } else if (item.isCustomToolCall()) {
                var c = item.asCustomToolCall();
                lines.add("custom " + c.id().orElse("") + " " + c.callId() + " " + c.name() + " " + c.input());
            } else if (item.isReasoning()) {
                var r = item.asReasoning();
                lines.add("reasoning " + r.id() + " " + r.summary().stream().map(s -> s.text()).toList() + " "
                        + r.encryptedContent().orElse(""));
            } else {
                lines.add("other " + item);
            }
        }
        return lines;
    }

    @Test
    void chatCompletionAccumulatorRebuildsTheNonStreamedReplyFromAnthropic() throws IOException {
        ChatToMessages codec = new ChatToMessages();
        ChatCompletion expected = SDK.readValue(codec.reply(Golden.bytes("anthropic-stream.message.json"), "gpt-4o"),
                ChatCompletion.class);
        ChatCompletion streamed = accumulateChat(frames(codec.stream("gpt-4o",
                new ReplyContext(Set.of(), Map.of(), true)), Golden.text("anthropic-stream.sse")));

        assertSameChat(streamed, expected);
        assertThat(streamed.usage()).isEqualTo(expected.usage());
    }

    @Test
    void chatCompletionAccumulatorRebuildsTheNonStreamedReplyFromResponses() throws IOException {
        ChatToResponses codec = new ChatToResponses();
        String completed = Golden.events(Golden.text("responses-stream.sse")).stream()
                .filter(e -> "response.completed".equals(e[0])).findFirst().orElseThrow()[1];
        // The non-streamed equivalent: the completed response with its output items filled in.
        var response = (com.fasterxml.jackson.databind.node.ObjectNode) Golden.MAPPER.readTree(completed).get("response");
        var output = response.putArray("output");
        for (String[] e : Golden.events(Golden.text("responses-stream.sse"))) {
            if ("response.output_item.done".equals(e[0])) {
                output.add(Golden.MAPPER.readTree(e[1]).get("item"));
            }
        }
        ChatCompletion expected = SDK.readValue(codec.reply(Golden.MAPPER.writeValueAsBytes(response), "claude"),
                ChatCompletion.class);
        ChatCompletion streamed = accumulateChat(frames(codec.stream("claude",
                new ReplyContext(Set.of(), Map.of(), true)), Golden.text("responses-stream.sse")));

        assertSameChat(streamed, expected);
        assertThat(streamed.choices().get(0).message().toolCalls().orElseThrow()).hasSize(2);
        assertThat(streamed.usage()).isEqualTo(expected.usage());
    }

    private static ChatCompletion accumulateChat(List<String> frames) throws IOException {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        for (String frame : frames) {
            String data = data(frame);
            if (!"[DONE]".equals(data)) {
                accumulator.accumulate(SDK.readValue(data, ChatCompletionChunk.class));
            }
        }
        return accumulator.chatCompletion();
    }

    private static void assertSameChat(ChatCompletion streamed, ChatCompletion expected) throws IOException {
        assertThat(streamed.id()).isEqualTo(expected.id());
        var s = streamed.choices().get(0);
        var e = expected.choices().get(0);
        assertThat(s.finishReason()).isEqualTo(e.finishReason());
        assertThat(s.message().content()).isEqualTo(e.message().content());
        assertThat(calls(s.message().toolCalls().orElse(List.of())))
                .isEqualTo(calls(e.message().toolCalls().orElse(List.of())));
    }

    private static List<String> calls(List<ChatCompletionMessageToolCall> calls) throws IOException {
        List<String> lines = new ArrayList<>();
        for (ChatCompletionMessageToolCall c : calls) {
            var f = c.asFunction();
            lines.add(f.id() + " " + f.function().name() + " " + Golden.MAPPER.readTree(f.function().arguments()));
        }
        return lines;
    }
}
