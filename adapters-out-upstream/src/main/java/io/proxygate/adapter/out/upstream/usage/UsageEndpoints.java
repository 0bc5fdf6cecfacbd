package io.proxygate.adapter.out.upstream.usage;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the usage windows are read: ChatGPT's {@code {chatgpt_base}/wham/usage} and Anthropic's
 * {@code {anthropic_api_base}/api/oauth/usage}, each replaceable by a full URL (environment variables
 * {@code PROXYGATE_CHATGPT_USAGE_URL} and {@code PROXYGATE_CLAUDE_USAGE_URL}).
 */
public record UsageEndpoints(URI chatgptUsage, URI claudeUsage) {
    public static final String DEFAULT_CHATGPT_BASE = "https://chatgpt.com/backend-api";
    public static final String DEFAULT_ANTHROPIC_API_BASE = "https://api.anthropic.com";

    public UsageEndpoints {
        Objects.requireNonNull(chatgptUsage, "chatgptUsage");
        Objects.requireNonNull(claudeUsage, "claudeUsage");
    }

    public static UsageEndpoints defaults() {
        return of(DEFAULT_CHATGPT_BASE, DEFAULT_ANTHROPIC_API_BASE, Optional.empty(), Optional.empty());
    }

    /**
     * @param chatgptBase      the ChatGPT backend base, e.g. {@code https://chatgpt.com/backend-api}
     * @param anthropicApiBase the Anthropic API host, e.g. {@code https://api.anthropic.com}
     * @param chatgptUsageUrl  a full URL that wins over {@code chatgptBase} when present and not blank
     * @param claudeUsageUrl   a full URL that wins over {@code anthropicApiBase} when present and not blank
     */
    public static UsageEndpoints of(String chatgptBase, String anthropicApiBase, Optional<String> chatgptUsageUrl,
                                    Optional<String> claudeUsageUrl) {
        return new UsageEndpoints(
                URI.create(chatgptUsageUrl.filter(u -> !u.isBlank()).map(String::trim)
                        .orElseGet(() -> trimSlash(chatgptBase) + "/wham/usage")),
                URI.create(claudeUsageUrl.filter(u -> !u.isBlank()).map(String::trim)
                        .orElseGet(() -> trimSlash(anthropicApiBase) + "/api/oauth/usage")));
    }

    private static String trimSlash(String base) {
        String b = Objects.requireNonNull(base, "base").trim();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return b;
    }
}
