package io.proxygate.adapter.out.upstream;

import com.fasterxml.jackson.core.JsonToken;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Makes a Responses API body acceptable to the ChatGPT Codex backend, which answers 400 to {@code store} missing or
 * true, {@code stream} missing or false, a missing {@code instructions}, and to parameters it does not support. Every
 * other field is kept byte for byte and in order: Codex's {@code include}, {@code prompt_cache_key},
 * {@code reasoning}, {@code tools} and developer items are load-bearing. A body that needs none of this comes back as
 * the very same array, so the caller can tell that the client's bytes (even compressed ones) may go as they are.
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
     *
     * @param addInstructions add {@code "instructions": ""} when the body has none; Codex itself omits the field on
     *                        its own backend, so this is for other clients only
     * @return {@code body} itself when nothing had to change
     */
    static byte[] rewrite(byte[] body, boolean compact, boolean addInstructions) {
        Optional<List<JsonFields.Field>> parsed = JsonFields.of(body);
        if (parsed.isEmpty()) {
            return body;
        }
        JsonFields.ObjectWriter out = new JsonFields.ObjectWriter(body.length);
        boolean changed = false;
        boolean store = false;
        boolean stream = false;
        boolean instructions = false;
        for (JsonFields.Field f : parsed.get()) {
            switch (f.name()) {
                case "store", "stream" -> {
                    store |= f.name().equals("store");
                    stream |= f.name().equals("stream");
                    String wanted = f.name().equals("store") ? "false" : "true";
                    if (compact) {
                        changed = true;
                    } else if (hasValue(body, f, wanted)) {
                        out.raw(body, f);
                    } else {
                        out.replaced(body, f, wanted);
                        changed = true;
                    }
                }
                case "instructions" -> {
                    instructions = true;
                    if (f.valueToken() == JsonToken.VALUE_NULL) {
                        out.replaced(body, f, "\"\"");
                        changed = true;
                    } else {
                        out.raw(body, f);
                    }
                }
                case "input" -> {
                    if (f.valueToken() == JsonToken.VALUE_STRING) {
                        out.replaced(body, f, JsonFields.concat(
                                "[{\"type\":\"message\",\"role\":\"user\",\"content\":",
                                body, f.valueStart(), f.end(), "}]"));
                        changed = true;
                    } else {
                        out.raw(body, f);
                    }
                }
                default -> {
                    if (REJECTED.contains(f.name())) {
                        changed = true;
                    } else {
                        out.raw(body, f);
                    }
                }
            }
        }
        if (!compact && !store) {
            out.added("store", "false");
            changed = true;
        }
        if (!compact && !stream) {
            out.added("stream", "true");
            changed = true;
        }
        if (!instructions && addInstructions) {
            out.added("instructions", "\"\"");
            changed = true;
        }
        return changed ? out.finish() : body;
    }

    private static boolean hasValue(byte[] body, JsonFields.Field f, String literal) {
        byte[] wanted = literal.getBytes(StandardCharsets.US_ASCII);
        return Arrays.equals(body, f.valueStart(), f.end(), wanted, 0, wanted.length);
    }
}
