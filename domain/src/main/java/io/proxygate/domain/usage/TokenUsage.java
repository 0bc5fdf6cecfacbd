package io.proxygate.domain.usage;

/**
 * Tokens of one request, by kind. {@code inputTokens} follows each API's own meaning: for the Responses and Chat
 * APIs it includes {@code cachedInputTokens}; for Anthropic it excludes cache reads and cache writes.
 * {@code cacheCreation1hTokens} is the part of {@code cacheCreationTokens} written to the one-hour cache (Anthropic's
 * {@code cache_creation.ephemeral_1h_input_tokens}), billed at its own rate; it is not stored per request-log row,
 * since the cost is computed when the request is recorded.
 */
public record TokenUsage(long inputTokens, long cachedInputTokens, long cacheCreationTokens, long outputTokens,
                         long reasoningTokens, long cacheCreation1hTokens) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0, 0);

    public TokenUsage {
        if (inputTokens < 0 || cachedInputTokens < 0 || cacheCreationTokens < 0 || outputTokens < 0
                || reasoningTokens < 0 || cacheCreation1hTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    /** Counts with every cache write in the five-minute cache. */
    public TokenUsage(long inputTokens, long cachedInputTokens, long cacheCreationTokens, long outputTokens,
                      long reasoningTokens) {
        this(inputTokens, cachedInputTokens, cacheCreationTokens, outputTokens, reasoningTokens, 0);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /**
     * The prompt's length as the long-prompt price tiers count it: all input tokens, cached or not (OpenAI's
     * {@code input_tokens} already includes the cached ones; Anthropic's excludes cache reads and writes).
     */
    public long promptTokens(UsageConvention convention) {
        return convention == UsageConvention.ANTHROPIC
                ? inputTokens + cachedInputTokens + cacheCreationTokens
                : inputTokens;
    }

    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(inputTokens + other.inputTokens, cachedInputTokens + other.cachedInputTokens,
                cacheCreationTokens + other.cacheCreationTokens, outputTokens + other.outputTokens,
                reasoningTokens + other.reasoningTokens, cacheCreation1hTokens + other.cacheCreation1hTokens);
    }
}
