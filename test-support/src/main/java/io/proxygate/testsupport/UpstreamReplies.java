package io.proxygate.testsupport;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** Realistic upstream replies for each API, with known usage. */
public final class UpstreamReplies {
    private UpstreamReplies() {
    }

    /** A Responses API stream saying {@code text}, with usage 100 in (50 cached), 25 out (5 reasoning). */
    public static void responsesStream(HttpExchange exchange, String responseId, String text) throws IOException {
        OutputStream out = MockUpstream.startSse(exchange, Map.of("openai-model", "gpt-5"));
        MockUpstream.event(out, "response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\""
                + responseId + "\",\"object\":\"response\",\"model\":\"gpt-5\",\"status\":\"in_progress\",\"output\":[]}}");
        MockUpstream.event(out, "response.output_text.delta", "{\"type\":\"response.output_text.delta\","
                + "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + text + "\"}");
        MockUpstream.event(out, "response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":\""
                + responseId + "\",\"object\":\"response\",\"created_at\":1700000000,\"model\":\"gpt-5\","
                + "\"status\":\"completed\",\"output\":[{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\","
                + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + text
                + "\",\"annotations\":[]}]}],\"usage\":{\"input_tokens\":100,\"input_tokens_details\":{\"cached_tokens\":50},"
                + "\"output_tokens\":25,\"output_tokens_details\":{\"reasoning_tokens\":5},\"total_tokens\":125}}}");
    }

    /** An Anthropic Messages stream saying {@code text}: 12 in, 3 cache read, 2 cache write, 8 out. */
    public static void messagesStream(HttpExchange exchange, String text) throws IOException {
        OutputStream out = messagesStreamStart(exchange, "req_mock", "msg_1", "claude-sonnet-4-5",
                "{\"input_tokens\":12,\"cache_creation_input_tokens\":2,\"cache_read_input_tokens\":3,\"output_tokens\":1}");
        MockUpstream.event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        MockUpstream.event(out, "ping", "{\"type\":\"ping\"}");
        MockUpstream.event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}");
        MockUpstream.event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        MockUpstream.event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":8}}");
        MockUpstream.event(out, "message_stop", "{\"type\":\"message_stop\"}");
    }

    /**
     * Begins an Anthropic Messages stream: the SSE head (with {@code request-id}) and a {@code message_start} for
     * {@code messageId} and {@code model} whose usage is {@code usageJson}, a JSON object. The caller sends the rest.
     */
    public static OutputStream messagesStreamStart(HttpExchange exchange, String requestId, String messageId,
                                                   String model, String usageJson) throws IOException {
        OutputStream out = MockUpstream.startSse(exchange, Map.of("request-id", requestId));
        MockUpstream.event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + messageId
                + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":" + usageJson + "}}");
        return out;
    }

    /** A non-streamed Anthropic reply. */
    public static String messageJson(String text) {
        return "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":8,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}";
    }

    /** A non-streamed chat completion. */
    public static String chatJson(String text) {
        return "{\"id\":\"chat_1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":15,\"completion_tokens\":3,\"total_tokens\":18}}";
    }

    /** A streamed chat completion ending with a usage chunk. */
    public static void chatStream(HttpExchange exchange, String text) throws IOException {
        OutputStream out = MockUpstream.startSse(exchange, Map.of());
        MockUpstream.event(out, null, "{\"id\":\"chat_1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + text
                + "\"},\"finish_reason\":null}]}");
        MockUpstream.event(out, null, "{\"id\":\"chat_1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        MockUpstream.event(out, null, "{\"id\":\"chat_1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":15,\"completion_tokens\":3,\"total_tokens\":18}}");
        MockUpstream.event(out, null, "[DONE]");
    }
}
