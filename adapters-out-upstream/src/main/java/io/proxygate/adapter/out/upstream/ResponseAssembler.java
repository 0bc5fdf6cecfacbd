package io.proxygate.adapter.out.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.adapter.out.upstream.sse.SseEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the one JSON {@code response} object a non-streaming Responses client expects from the event stream the
 * ChatGPT backend always sends. The base is {@code response.completed} (or {@code response.incomplete}); when its
 * {@code output} is missing or empty, the output is rebuilt from the {@code response.output_item.done} items, else
 * from the {@code response.output_text.delta} texts. A {@code response.failed} or {@code error} event becomes an
 * error reply in the OpenAI shape. What is held is bounded by {@code maxBytes}.
 */
final class ResponseAssembler {
    private static final ObjectMapper MAPPER = PooledJson.mapper();
    private static final Set<String> WANTED = Set.of(
            "response.created", "response.in_progress", "response.output_item.done", "response.output_text.delta",
            "response.completed", "response.incomplete", "response.failed", "error", SseEvent.DEFAULT_TYPE);

    /** What the stream amounted to. */
    sealed interface Result {
        /** The final response object. */
        record Completed(byte[] json) implements Result {
        }

        /** The upstream failed the response: relay this status and OpenAI-shaped error body. */
        record Failed(int status, byte[] json) implements Result {
        }

        /** The stream ended before any terminal event. */
        record Truncated() implements Result {
        }
    }

    /** Thrown when a reply grows beyond what the adapter agrees to hold. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long max) {
            super("response exceeds " + max + " bytes and cannot be assembled");
        }
    }

    private record Item(int outputIndex, int arrival, JsonNode item) {
    }

    private final long maxBytes;
    private long heldBytes;
    private ObjectNode skeleton;
    private ObjectNode terminal;
    private JsonNode failure;
    private final List<Item> items = new ArrayList<>();
    private final Map<String, StringBuilder> texts = new LinkedHashMap<>();

    ResponseAssembler(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    boolean wants(String eventType) {
        return WANTED.contains(eventType);
    }

    void onEvent(SseEvent event) {
        JsonNode node;
        try {
            node = MAPPER.readTree(event.data());
        } catch (JsonProcessingException e) {
            return;
        }
        if (node == null || !node.isObject()) {
            return;
        }
        String type = event.typeIn(node);
        switch (type) {
            case "response.created", "response.in_progress" -> {
                if (node.path("response").isObject()) {
                    skeleton = (ObjectNode) node.path("response");
                }
            }
            case "response.output_item.done" -> {
                hold(event.data().length());
                items.add(new Item(node.path("output_index").asInt(items.size()), items.size(), node.path("item")));
            }
            case "response.output_text.delta" -> {
                String delta = node.path("delta").asText("");
                hold(delta.length());
                texts.computeIfAbsent(node.path("item_id").asText(""), k -> new StringBuilder()).append(delta);
            }
            case "response.completed", "response.incomplete" -> {
                if (node.path("response").isObject()) {
                    terminal = (ObjectNode) node.path("response");
                }
            }
            case "response.failed" -> failure = node.path("response").path("error").isObject()
                    ? node.path("response").path("error") : node.path("response");
            case "error" -> failure = node.path("error").isObject() ? node.path("error") : node;
            default -> { }
        }
    }

    Result result() {
        if (terminal != null) {
            JsonNode output = terminal.path("output");
            if (!output.isArray() || output.isEmpty()) {
                terminal.set("output", rebuiltOutput());
            }
            return new Result.Completed(write(terminal));
        }
        if (failure != null) {
            String code = failure.path("code").asText(failure.path("type").asText("server_error"));
            String message = failure.path("message").asText("The upstream failed the response.");
            ObjectNode error = MAPPER.createObjectNode();
            ObjectNode inner = error.putObject("error");
            inner.put("message", message);
            inner.put("type", failure.path("type").isTextual() && !failure.path("type").asText().equals("error")
                    ? failure.path("type").asText() : code);
            inner.putNull("param");
            inner.put("code", code);
            return new Result.Failed(statusFor(code), write(error));
        }
        return new Result.Truncated();
    }

    private ArrayNode rebuiltOutput() {
        ArrayNode output = MAPPER.createArrayNode();
        if (!items.isEmpty()) {
            items.stream()
                    .sorted(Comparator.comparingInt(Item::outputIndex).thenComparingInt(Item::arrival))
                    .forEach(i -> output.add(i.item()));
            return output;
        }
        for (Map.Entry<String, StringBuilder> text : texts.entrySet()) {
            ObjectNode message = output.addObject();
            if (!text.getKey().isEmpty()) {
                message.put("id", text.getKey());
            }
            message.put("type", "message");
            message.put("status", "completed");
            message.put("role", "assistant");
            ObjectNode content = message.putArray("content").addObject();
            content.put("type", "output_text");
            content.put("text", text.getValue().toString());
            content.putArray("annotations");
        }
        return output;
    }

    /** Upstream failure codes mapped to the status an OpenAI client would have seen from the API. */
    static int statusFor(String code) {
        return io.proxygate.adapter.out.upstream.usage.FailureCodes.responsesStatus(code);
    }

    private void hold(long bytes) {
        heldBytes += bytes;
        if (heldBytes > maxBytes) {
            throw new TooLarge(maxBytes);
        }
    }

    private static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a parsed JSON tree", e);
        }
    }
}
