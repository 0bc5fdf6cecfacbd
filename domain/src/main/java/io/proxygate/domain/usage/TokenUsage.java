package io.proxygate.domain.usage;

/**
 * Tokens of one request, by kind. {@code inputTokens} follows each API's own meaning: for the Responses and Chat
 * APIs it includes {@code cachedInputTokens}; for Anthropic it excludes cache reads and cache writes.
 */
public record TokenUsage(long inputTokens, long cachedInputTokens, long cacheCreationTokens, long outputTokens,
                         long reasoningTokens) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

    public TokenUsage {
        if (inputTokens < 0 || cachedInputTokens < 0 || cacheCreationTokens < 0 || outputTokens < 0
                || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(inputTokens + other.inputTokens, cachedInputTokens + other.cachedInputTokens,
                cacheCreationTokens + other.cacheCreationTokens, outputTokens + other.outputTokens,
                reasoningTokens + other.reasoningTokens);
    }
}
