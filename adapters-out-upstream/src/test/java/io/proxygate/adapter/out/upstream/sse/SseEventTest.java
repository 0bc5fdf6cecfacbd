package io.proxygate.adapter.out.upstream.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SseEventTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void namedEventKeepsItsNameOverThePayloadType() throws Exception {
        SseEvent event = new SseEvent("message_start", "{}");

        assertThat(event.typeIn(json("{\"type\":\"message_delta\"}"))).isEqualTo("message_start");
    }

    @Test
    void dataOnlyEventTakesTheTypeItsPayloadNames() throws Exception {
        SseEvent event = new SseEvent(null, "{}");

        assertThat(event.typeIn(json("{\"type\":\"response.completed\"}"))).isEqualTo("response.completed");
    }

    @Test
    void dataOnlyEventWithoutPayloadTypeHasEmptyType() throws Exception {
        SseEvent event = new SseEvent("", "{}");

        assertThat(event.typeIn(json("{\"id\":\"x\"}"))).isEmpty();
    }
}
