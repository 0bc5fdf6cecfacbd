package io.proxygate.adapter.out.upstream;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.http.Headers;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Recognises Claude Code's own requests and makes other clients' requests on Claude OAuth accounts look like Claude
 * Code. Subscription tokens are meant for Claude Code: requests that do not look like it are refused or billed as
 * extra usage. The disguise is the one peers use: the Claude Code banner as system block 0, the Claude Code betas and
 * its User-Agent, X-App and browser-access headers. Claude Code's own bodies are never touched.
 */
final class ClaudeCodeMimicry {
    static final String BANNER = "You are Claude Code, Anthropic's official CLI for Claude.";
    static final String BANNER_BLOCK =
            "{\"type\":\"text\",\"text\":\"" + BANNER + "\",\"cache_control\":{\"type\":\"ephemeral\"}}";
    static final List<String> BETAS = List.of(
            "claude-code-20250219", "oauth-2025-04-20", "interleaved-thinking-2025-05-14");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClaudeCodeMimicry() {
    }

    /** Claude Code says who it is through {@code x-app: cli}, a {@code claude-cli/} User-Agent, or its banner. */
    static boolean isClaudeCode(Headers headers, byte[] body) {
        if (headers.first("x-app").map(v -> v.trim().equalsIgnoreCase("cli")).orElse(false)) {
            return true;
        }
        if (headers.first("user-agent").map(v -> v.startsWith("claude-cli/")).orElse(false)) {
            return true;
        }
        return JsonFields.of(body)
                .flatMap(fields -> fields.stream().filter(f -> f.name().equals("system")).findFirst()
                        .flatMap(f -> readValue(body, f)))
                .map(ClaudeCodeMimicry::startsWithBanner)
                .orElse(false);
    }

    /** The body with the banner as system block 0, unless it already starts with it; non-objects pass unchanged. */
    static byte[] withBanner(byte[] body) {
        Optional<List<JsonFields.Field>> parsed = JsonFields.of(body);
        if (parsed.isEmpty()) {
            return body;
        }
        JsonFields.ObjectWriter out = new JsonFields.ObjectWriter(body.length + BANNER_BLOCK.length());
        boolean sawSystem = false;
        for (JsonFields.Field f : parsed.get()) {
            if (!f.name().equals("system") || sawSystem) {
                out.raw(body, f);
                continue;
            }
            sawSystem = true;
            Optional<JsonNode> system = readValue(body, f);
            if (system.map(ClaudeCodeMimicry::startsWithBanner).orElse(false)) {
                out.raw(body, f);
            } else if (f.valueToken() == JsonToken.VALUE_STRING) {
                out.replaced(body, f, JsonFields.concat(
                        "[" + BANNER_BLOCK + ",{\"type\":\"text\",\"text\":", body, f.valueStart(), f.end(), "}]"));
            } else if (f.valueToken() == JsonToken.START_ARRAY && system.map(JsonNode::size).orElse(0) > 0) {
                // Keep the client's blocks byte for byte after the banner.
                out.replaced(body, f, JsonFields.concat("[" + BANNER_BLOCK + ",", body, f.valueStart() + 1, f.end(), ""));
            } else {
                out.replaced(body, f, "[" + BANNER_BLOCK + "]");
            }
        }
        if (!sawSystem) {
            out.added("system", "[" + BANNER_BLOCK + "]");
        }
        return out.finish();
    }

    private static boolean startsWithBanner(JsonNode system) {
        if (system.isTextual()) {
            return system.asText().startsWith(BANNER);
        }
        if (system.isArray() && !system.isEmpty()) {
            return system.get(0).path("text").asText("").startsWith(BANNER);
        }
        return false;
    }

    private static Optional<JsonNode> readValue(byte[] body, JsonFields.Field f) {
        try {
            return Optional.ofNullable(MAPPER.readTree(body, f.valueStart(), f.end() - f.valueStart()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
