package io.proxygate.adapter.out.upstream;

import com.fasterxml.jackson.core.JsonToken;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Makes a Responses API body acceptable to the ChatGPT Codex backend, which answers 400 to {@code store} missing or
 * true, {@code stream} missing or false, a missing {@code instructions}, and to parameters it does not support. Every
 * other field is kept byte for byte and in order: Codex's {@code include}, {@code prompt_cache_key},
 * {@code reasoning}, {@code tools} and developer items are load-bearing.
 */
final class CodexBodyRewriter {
    static final Set<String> REJECTED = Set.of(
            "max_output_tokens", "max_tokens", "max_completion_tokens", "temperature", "top_p",
            "frequency_penalty", "presence_penalty", "prompt_cache_retention", "safety_identifier", "stream_options");

    private CodexBodyRewriter() {
    }

    /**
     * Rewrites for {@code /codex/responses} ({@code compact} false: force {@code store:false}, {@code stream:true})
     * or {@code /codex/responses/compact} (compact true: drop {@code store} and {@code stream}). A body that is not a
     * JSON object is returned unchanged: the backend's own 400 then reaches the client.
     */
    static byte[] rewrite(byte[] body, boolean compact) {
        Optional<List<JsonFields.Field>> parsed = JsonFields.of(body);
        if (parsed.isEmpty()) {
            return body;
        }
        JsonFields.ObjectWriter out = new JsonFields.ObjectWriter(body.length);
        boolean store = false;
        boolean stream = false;
        boolean instructions = false;
        for (JsonFields.Field f : parsed.get()) {
            switch (f.name()) {
                case "store" -> {
                    store = true;
                    if (!compact) {
                        out.replaced(body, f, "false");
                    }
                }
                case "stream" -> {
                    stream = true;
                    if (!compact) {
                        out.replaced(body, f, "true");
                    }
                }
                case "instructions" -> {
                    instructions = true;
                    if (f.valueToken() == JsonToken.VALUE_NULL) {
                        out.replaced(body, f, "\"\"");
                    } else {
                        out.raw(body, f);
                    }
                }
                case "input" -> {
                    if (f.valueToken() == JsonToken.VALUE_STRING) {
                        out.replaced(body, f, JsonFields.concat(
                                "[{\"type\":\"message\",\"role\":\"user\",\"content\":",
                                body, f.valueStart(), f.end(), "}]"));
                    } else {
                        out.raw(body, f);
                    }
                }
                default -> {
                    if (!REJECTED.contains(f.name())) {
                        out.raw(body, f);
                    }
                }
            }
        }
        if (!compact && !store) {
            out.added("store", "false");
        }
        if (!compact && !stream) {
            out.added("stream", "true");
        }
        if (!instructions) {
            out.added("instructions", "\"\"");
        }
        return out.finish();
    }
}
