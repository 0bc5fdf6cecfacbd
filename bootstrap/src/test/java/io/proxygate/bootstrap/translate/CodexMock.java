package io.proxygate.bootstrap.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import io.proxygate.testsupport.MockUpstream;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * A ChatGPT Codex backend that speaks only the Responses API and always streams: on a fresh request it calls two
 * tools in parallel ({@code Read} of a file, and {@code Glob}); once the request carries their outputs it answers
 * with text quoting the first output.
 */
final class CodexMock {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/backend-api/codex/responses";

    private CodexMock() {
    }

    /** A started upstream that serves {@link #PATH} with {@link #handle} and answers the usage polls with nothing. */
    static MockUpstream started() {
        MockUpstream mock = ProxyGateRunner.upstreamWithEmptyUsage();
        mock.on("POST", PATH, CodexMock::handle);
        return mock;
    }

    /** Released by a test once its client has read the first text delta of a {@code gpt-5} stream. */
    static volatile java.util.concurrent.CountDownLatch clientSawFirstDelta = new java.util.concurrent.CountDownLatch(0);
    /** Whether the last {@code gpt-5} stream was released by the client before the rest was sent. */
    static volatile boolean releasedByClient;

    static void handle(MockUpstream.Recorded request, HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(request.body());
        if (body.path("model").asText().equals("gpt-5")) {
            heldStream(exchange);
            return;
        }
        String output = null;
        for (JsonNode item : body.path("input")) {
            if (item.path("type").asText().equals("function_call_output") && output == null) {
                output = item.path("output").asText();
            }
        }
        OutputStream out = MockUpstream.startSse(exchange, Map.of("x-codex-primary-used-percent", "10"));
        MockUpstream.event(out, "response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_t1\","
                + "\"object\":\"response\",\"model\":\"gpt-5-codex\",\"status\":\"in_progress\",\"output\":[]}}");
        if (output == null) {
            String outputItems = call(out, 0, "fc_1", "call_read_1", "Read", "{\"file_path\":\"/tmp/notes.txt\"}")
                    + "," + call(out, 1, "fc_2", "call_glob_2", "Glob", "{\"pattern\":\"*.md\"}");
            completed(out, "[" + outputItems + "]", 120, 40, 18);
            return;
        }
        String text = "The file says: " + output;
        String quoted = JSON.writeValueAsString(text);
        MockUpstream.event(out, "response.output_item.added", "{\"type\":\"response.output_item.added\",\"output_index\":0,"
                + "\"item\":{\"type\":\"message\",\"id\":\"msg_9\",\"role\":\"assistant\",\"status\":\"in_progress\",\"content\":[]}}");
        MockUpstream.event(out, "response.content_part.added", "{\"type\":\"response.content_part.added\",\"item_id\":\"msg_9\","
                + "\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\"}}");
        int half = text.length() / 2;
        for (String piece : new String[] {text.substring(0, half), text.substring(half)}) {
            MockUpstream.event(out, "response.output_text.delta", "{\"type\":\"response.output_text.delta\","
                    + "\"item_id\":\"msg_9\",\"output_index\":0,\"content_index\":0,\"delta\":"
                    + JSON.writeValueAsString(piece) + "}");
        }
        MockUpstream.event(out, "response.content_part.done", "{\"type\":\"response.content_part.done\",\"item_id\":\"msg_9\","
                + "\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":" + quoted + "}}");
        String item = "{\"type\":\"message\",\"id\":\"msg_9\",\"role\":\"assistant\",\"status\":\"completed\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":" + quoted + ",\"annotations\":[]}]}";
        MockUpstream.event(out, "response.output_item.done", "{\"type\":\"response.output_item.done\",\"output_index\":0,"
                + "\"item\":" + item + "}");
        completed(out, "[" + item + "]", 300, 250, 12);
    }

    /**
     * Sends one text delta, then waits until the client has read it (proof that nothing between holds the stream
     * back), then finishes the reply.
     */
    private static void heldStream(HttpExchange exchange) throws IOException {
        OutputStream out = MockUpstream.startSse(exchange, Map.of());
        MockUpstream.event(out, "response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_h\","
                + "\"model\":\"gpt-5\",\"status\":\"in_progress\",\"output\":[]}}");
        MockUpstream.event(out, "response.output_text.delta", "{\"type\":\"response.output_text.delta\","
                + "\"item_id\":\"msg_h\",\"output_index\":0,\"content_index\":0,\"delta\":\"first\"}");
        try {
            releasedByClient = clientSawFirstDelta.await(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        MockUpstream.event(out, "response.output_text.delta", "{\"type\":\"response.output_text.delta\","
                + "\"item_id\":\"msg_h\",\"output_index\":0,\"content_index\":0,\"delta\":\" second\"}");
        completed(out, "[{\"type\":\"message\",\"id\":\"msg_h\",\"role\":\"assistant\",\"content\":[{\"type\":"
                + "\"output_text\",\"text\":\"first second\"}]}]", 10, 0, 2);
    }

    private static String call(OutputStream out, int index, String id, String callId, String name, String arguments)
            throws IOException {
        MockUpstream.event(out, "response.output_item.added", "{\"type\":\"response.output_item.added\",\"output_index\":"
                + index + ",\"item\":{\"type\":\"function_call\",\"id\":\"" + id + "\",\"call_id\":\"" + callId
                + "\",\"name\":\"" + name + "\",\"arguments\":\"\",\"status\":\"in_progress\"}}");
        int half = arguments.length() / 2;
        for (String piece : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
            MockUpstream.event(out, "response.function_call_arguments.delta", "{\"type\":\"response.function_call_arguments.delta\","
                    + "\"item_id\":\"" + id + "\",\"output_index\":" + index + ",\"delta\":" + JSON.writeValueAsString(piece) + "}");
        }
        String item = "{\"type\":\"function_call\",\"id\":\"" + id + "\",\"call_id\":\"" + callId + "\",\"name\":\""
                + name + "\",\"arguments\":" + JSON.writeValueAsString(arguments) + ",\"status\":\"completed\"}";
        MockUpstream.event(out, "response.output_item.done", "{\"type\":\"response.output_item.done\",\"output_index\":"
                + index + ",\"item\":" + item + "}");
        return item;
    }

    private static void completed(OutputStream out, String output, long input, long cached, long outputTokens)
            throws IOException {
        MockUpstream.event(out, "response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_t1\","
                + "\"object\":\"response\",\"model\":\"gpt-5-codex\",\"status\":\"completed\",\"output\":" + output
                + ",\"usage\":{\"input_tokens\":" + input + ",\"input_tokens_details\":{\"cached_tokens\":" + cached
                + "},\"output_tokens\":" + outputTokens + ",\"output_tokens_details\":{\"reasoning_tokens\":0},"
                + "\"total_tokens\":" + (input + outputTokens) + "}}}");
    }
}
