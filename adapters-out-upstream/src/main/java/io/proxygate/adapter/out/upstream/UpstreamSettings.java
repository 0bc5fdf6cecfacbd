package io.proxygate.adapter.out.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link HttpUpstreamAdapter} needs to know about where the upstreams are and how patient to be. URLs are
 * already resolved (the bootstrap applies config.toml and {@code PROXYGATE_*} overrides); an API key's own
 * {@code base_url} still replaces the base for that key.
 *
 * @param chatgptResponsesUrl    full URL of the Codex backend's {@code /responses}
 * @param chatgptCompactUrl      full URL of the Codex backend's {@code /responses/compact}
 * @param chatgptModelsUrl       full URL of the Codex backend's {@code /models}
 * @param openaiBaseUrl          OpenAI API base; {@code /responses}, {@code /responses/compact},
 *                               {@code /chat/completions} and {@code /models} are appended
 * @param openaiResponsesUrl     full-URL override for OpenAI {@code /responses} (environment variable
 *                               {@code PROXYGATE_OPENAI_BASE_URL}); compaction then posts to it + {@code /compact}
 * @param openaiChatUrl          full-URL override for OpenAI {@code /chat/completions} ({@code PROXYGATE_CHAT_BASE_URL})
 * @param anthropicMessagesUrl   full URL of Anthropic {@code /v1/messages}; count_tokens appends {@code /count_tokens}
 * @param connectTimeout         TCP connect and TLS handshake
 * @param responseTimeout        from opening the call until the status line and headers arrive
 * @param idleTimeout            after the headers, the longest silence tolerated while the reader keeps up (a slow
 *                               reader that holds the upstream back is never counted as idle)
 * @param claudeCodeMimicry      make non-Claude-Code requests on Claude OAuth accounts look like Claude Code (off
 *                               unless the operator turns it on)
 * @param claudeCodeUserAgent    the User-Agent sent when mimicking Claude Code
 * @param maxConnectionsPerRoute connection pool size per upstream host
 * @param streamBufferBytes      per-call body buffer; when full, the upstream read pauses
 */
public record UpstreamSettings(String chatgptResponsesUrl, String chatgptCompactUrl, String chatgptModelsUrl,
                               String openaiBaseUrl, Optional<String> openaiResponsesUrl,
                               Optional<String> openaiChatUrl, String anthropicMessagesUrl,
                               Duration connectTimeout, Duration responseTimeout, Duration idleTimeout,
                               boolean claudeCodeMimicry, String claudeCodeUserAgent,
                               int maxConnectionsPerRoute, int streamBufferBytes) {

    public static final String DEFAULT_CHATGPT_RESPONSES_URL = "https://chatgpt.com/backend-api/codex/responses";
    public static final String DEFAULT_CHATGPT_COMPACT_URL = "https://chatgpt.com/backend-api/codex/responses/compact";
    public static final String DEFAULT_CHATGPT_MODELS_URL = "https://chatgpt.com/backend-api/codex/models";
    public static final String DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_ANTHROPIC_MESSAGES_URL = "https://api.anthropic.com/v1/messages";
    public static final String DEFAULT_CLAUDE_CODE_USER_AGENT = "claude-cli/2.1.12 (external, cli)";

    public UpstreamSettings {
        chatgptResponsesUrl = requireHttpUrl(chatgptResponsesUrl, "chatgptResponsesUrl");
        chatgptCompactUrl = requireHttpUrl(chatgptCompactUrl, "chatgptCompactUrl");
        chatgptModelsUrl = requireHttpUrl(chatgptModelsUrl, "chatgptModelsUrl");
        openaiBaseUrl = requireHttpUrl(openaiBaseUrl, "openaiBaseUrl");
        openaiResponsesUrl = optionalHttpUrl(openaiResponsesUrl, "openaiResponsesUrl");
        openaiChatUrl = optionalHttpUrl(openaiChatUrl, "openaiChatUrl");
        anthropicMessagesUrl = requireHttpUrl(anthropicMessagesUrl, "anthropicMessagesUrl");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(responseTimeout, "responseTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        if (claudeCodeUserAgent == null || claudeCodeUserAgent.isBlank()) {
            claudeCodeUserAgent = DEFAULT_CLAUDE_CODE_USER_AGENT;
        }
        if (maxConnectionsPerRoute < 1) {
            throw new IllegalArgumentException("maxConnectionsPerRoute must be at least 1");
        }
        if (streamBufferBytes < 4096) {
            throw new IllegalArgumentException("streamBufferBytes must be at least 4096");
        }
    }

    /** The production defaults: the public upstream URLs and timeouts suited to long reasoning streams. */
    public static UpstreamSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private static String requireHttpUrl(String url, String name) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(name + " must be set");
        }
        String trimmed = url.strip();
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a valid URL: " + trimmed, e);
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(name + " must be an absolute http(s) URL: " + trimmed);
        }
        return trimmed;
    }

    private static Optional<String> optionalHttpUrl(Optional<String> url, String name) {
        if (url == null) {
            return Optional.empty();
        }
        return url.filter(u -> !u.isBlank()).map(u -> requireHttpUrl(u, name));
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** Mutable builder starting from the defaults. */
    public static final class Builder {
        private String chatgptResponsesUrl = DEFAULT_CHATGPT_RESPONSES_URL;
        private String chatgptCompactUrl = DEFAULT_CHATGPT_COMPACT_URL;
        private String chatgptModelsUrl = DEFAULT_CHATGPT_MODELS_URL;
        private String openaiBaseUrl = DEFAULT_OPENAI_BASE_URL;
        private Optional<String> openaiResponsesUrl = Optional.empty();
        private Optional<String> openaiChatUrl = Optional.empty();
        private String anthropicMessagesUrl = DEFAULT_ANTHROPIC_MESSAGES_URL;
        private Duration connectTimeout = Duration.ofSeconds(10);
        // Non-streamed reasoning requests may think for minutes before the first header.
        private Duration responseTimeout = Duration.ofMinutes(10);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private boolean claudeCodeMimicry = false;
        private String claudeCodeUserAgent = DEFAULT_CLAUDE_CODE_USER_AGENT;
        private int maxConnectionsPerRoute = 100;
        private int streamBufferBytes = 256 * 1024;

        private Builder() {
        }

        public Builder chatgptResponsesUrl(String v) { chatgptResponsesUrl = v; return this; }
        public Builder chatgptCompactUrl(String v) { chatgptCompactUrl = v; return this; }
        public Builder chatgptModelsUrl(String v) { chatgptModelsUrl = v; return this; }
        public Builder openaiBaseUrl(String v) { openaiBaseUrl = v; return this; }
        public Builder openaiResponsesUrl(String v) { openaiResponsesUrl = Optional.ofNullable(v); return this; }
        public Builder openaiChatUrl(String v) { openaiChatUrl = Optional.ofNullable(v); return this; }
        public Builder anthropicMessagesUrl(String v) { anthropicMessagesUrl = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder responseTimeout(Duration v) { responseTimeout = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder claudeCodeMimicry(boolean v) { claudeCodeMimicry = v; return this; }
        public Builder claudeCodeUserAgent(String v) { claudeCodeUserAgent = v; return this; }
        public Builder maxConnectionsPerRoute(int v) { maxConnectionsPerRoute = v; return this; }
        public Builder streamBufferBytes(int v) { streamBufferBytes = v; return this; }

        /**
         * Points every ChatGPT endpoint at {@code base} (for example {@code https://chatgpt.com/backend-api}):
         * {@code base/codex/responses}, {@code base/codex/responses/compact}, {@code base/codex/models}.
         */
        public Builder chatgptBaseUrl(String base) {
            String b = trimTrailingSlash(base);
            chatgptResponsesUrl = b + "/codex/responses";
            chatgptCompactUrl = b + "/codex/responses/compact";
            chatgptModelsUrl = b + "/codex/models";
            return this;
        }

        public UpstreamSettings build() {
            return new UpstreamSettings(chatgptResponsesUrl, chatgptCompactUrl, chatgptModelsUrl, openaiBaseUrl,
                    openaiResponsesUrl, openaiChatUrl, anthropicMessagesUrl, connectTimeout, responseTimeout,
                    idleTimeout, claudeCodeMimicry, claudeCodeUserAgent, maxConnectionsPerRoute, streamBufferBytes);
        }
    }

    static String trimTrailingSlash(String url) {
        String s = url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
