package io.proxygate.domain.usage;

import io.proxygate.domain.credential.Api;

/**
 * How an API counts input tokens, which decides how cached tokens are billed.
 * <ul>
 *   <li>{@link #OPENAI} (Responses, Chat Completions): {@code input_tokens} INCLUDES the cached tokens, and
 *       {@code output_tokens} includes reasoning tokens.</li>
 *   <li>{@link #ANTHROPIC} (Messages, also on Vertex AI): {@code input_tokens} EXCLUDES both cache reads and cache
 *       writes, which are reported and billed separately.</li>
 * </ul>
 */
public enum UsageConvention {
    OPENAI, ANTHROPIC;

    public static UsageConvention forApi(Api api) {
        return api == Api.MESSAGES ? ANTHROPIC : OPENAI;
    }

    /**
     * From a usage record's provider label: {@code claude-pool}, {@code anthropic-key} and {@code vertex-ai} speak
     * the Messages API; everything else ({@code chatgpt-pool}, {@code openai-key}) the OpenAI APIs.
     */
    public static UsageConvention forProvider(String provider) {
        return switch (provider == null ? "" : provider) {
            case "claude-pool", "anthropic-key", "vertex-ai" -> ANTHROPIC;
            default -> OPENAI;
        };
    }

    /**
     * A guess for callers that do not know the API: ProxyGate serves Claude models only through the Messages API,
     * so a {@code claude} model (bare or behind an {@code anthropic/} prefix) means the Anthropic convention.
     */
    public static UsageConvention forModel(String model) {
        if (model == null) {
            return OPENAI;
        }
        String bare = model.startsWith("anthropic/") ? model.substring("anthropic/".length()) : model;
        return bare.startsWith("claude") ? ANTHROPIC : OPENAI;
    }
}
