package io.proxygate.adapter.out.upstream.sse;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One dispatched server-sent event.
 *
 * @param type the {@code event:} field, or {@code message} when the event had none (the SSE default)
 * @param data the {@code data:} lines joined with {@code \n}
 */
public record SseEvent(String type, String data) {
    public static final String DEFAULT_TYPE = "message";

    public SseEvent {
        type = type == null || type.isEmpty() ? DEFAULT_TYPE : type;
        Objects.requireNonNull(data, "data");
    }

    /**
     * The type this event stands for: its {@code event:} name, or, for a data-only stream (no name, so the default
     * type), the {@code type} field of its parsed {@code payload} ({@code ""} when that has none).
     */
    public String typeIn(JsonNode payload) {
        return DEFAULT_TYPE.equals(type) ? payload.path("type").asText("") : type;
    }
}
