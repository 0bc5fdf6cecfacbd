package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Anthropic token usage, accumulated from {@code message_start} and {@code message_delta} (whose counts are
 * cumulative), written in OpenAI's shapes. OpenAI counts cached input inside the input total, Anthropic beside it, so
 * the OpenAI input total is the sum of fresh, cache-read and cache-write tokens, and cached = cache reads.
 */
final class AnthropicUsage {
    long input;
    long cacheRead;
    long cacheCreation;
    long output;

    void read(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return;
        }
        input = number(usage, "input_tokens", input);
        cacheRead = number(usage, "cache_read_input_tokens", cacheRead);
        cacheCreation = number(usage, "cache_creation_input_tokens", cacheCreation);
        output = number(usage, "output_tokens", output);
    }

    private static long number(JsonNode usage, String field, long previous) {
        JsonNode v = usage.get(field);
        return v != null && v.isNumber() ? v.longValue() : previous;
    }

    long openAiInput() {
        return input + cacheRead + cacheCreation;
    }

    ObjectNode asResponses() {
        ObjectNode u = Json.object();
        u.put("input_tokens", openAiInput());
        u.putObject("input_tokens_details").put("cached_tokens", cacheRead);
        u.put("output_tokens", output);
        // Anthropic does not report thinking tokens apart from the rest of the output.
        u.putObject("output_tokens_details").put("reasoning_tokens", 0);
        u.put("total_tokens", openAiInput() + output);
        return u;
    }

    ObjectNode asChat() {
        ObjectNode u = Json.object();
        u.put("prompt_tokens", openAiInput());
        u.put("completion_tokens", output);
        u.put("total_tokens", openAiInput() + output);
        u.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
        u.putObject("completion_tokens_details").put("reasoning_tokens", 0);
        return u;
    }
}
