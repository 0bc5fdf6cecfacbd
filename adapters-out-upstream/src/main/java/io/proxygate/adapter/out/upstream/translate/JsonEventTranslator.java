package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.function.Consumer;

/**
 * A stream translator that reads each upstream event as one JSON object and acts on its type, until it has
 * finished (after its closing frames, or an error it turned into one, later events are ignored).
 */
abstract class JsonEventTranslator implements EventTranslator {
    protected boolean finished;

    @Override
    public final void event(String name, String data, Consumer<byte[]> out) {
        if (finished) {
            return;
        }
        JsonNode event = Json.parse(data);
        if (event == null) {
            // Not a JSON object (a keep-alive, a stray line): nothing to translate.
            return;
        }
        event(event.path("type").asText(name == null ? "" : name), event, out);
    }

    /**
     * One event: its type (the payload's {@code type}; the SSE event name when the payload has none) and payload.
     */
    protected abstract void event(String type, JsonNode event, Consumer<byte[]> out);
}
