package io.proxygate.adapter.out.upstream;

import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Obviously fake credentials and request builders for the adapter tests. */
final class Fixtures {
    static final String CHATGPT_TOKEN = "fake-chatgpt-access-token";
    static final String CLAUDE_TOKEN = "fake-claude-access-token";
    static final String OPENAI_KEY = "sk-test-openai-key";
    static final String ANTHROPIC_KEY = "sk-ant-test-anthropic-key";

    private Fixtures() {
    }

    static ChatGptAccount chatgpt(String accountId) {
        return new ChatGptAccount("codex@example.test", accountId, PlanType.PRO, tokens(CHATGPT_TOKEN),
                Optional.empty(), false);
    }

    static ClaudeAccount claude() {
        return new ClaudeAccount("claude@example.test", "acct-1", "max", "", tokens(CLAUDE_TOKEN),
                Optional.empty(), false);
    }

    static ApiKey openaiKey(String baseUrl) {
        return new ApiKey("openai-1", "OpenAI test", ApiKeyType.OPENAI, Secret.of(OPENAI_KEY),
                Optional.ofNullable(baseUrl), false);
    }

    static ApiKey anthropicKey(String baseUrl) {
        return new ApiKey("anthropic-1", "Anthropic test", ApiKeyType.ANTHROPIC, Secret.of(ANTHROPIC_KEY),
                Optional.ofNullable(baseUrl), false);
    }

    static OAuthTokens tokens(String access) {
        return new OAuthTokens(Secret.of(access), Optional.of(Secret.of("fake-refresh-token")), Optional.empty(),
                Optional.empty());
    }

    /** The client's own credentials, which must never reach an upstream. */
    static Headers clientAuth(String... more) {
        Headers h = Headers.of(
                "Authorization", "Bearer proxy-token-of-the-client",
                "x-api-key", "client-proxy-key",
                "X-ProxyGate-Token", "proxy-token-of-the-client");
        for (int i = 0; i < more.length; i += 2) {
            h = h.with(more[i], more[i + 1]);
        }
        return h;
    }

    static UpstreamRequest request(Route route, Credential credential, Headers headers, String body,
                                   boolean stream) {
        return new UpstreamRequest(route, credential, "", headers, body.getBytes(StandardCharsets.UTF_8), stream);
    }

    static UpstreamSettings.Builder settingsFor(MockUpstream mock) {
        return UpstreamSettings.builder()
                .chatgptBaseUrl(mock.url("/backend-api"))
                .openaiBaseUrl(mock.url("/v1"))
                .anthropicMessagesUrl(mock.url("/v1/messages"));
    }
}
