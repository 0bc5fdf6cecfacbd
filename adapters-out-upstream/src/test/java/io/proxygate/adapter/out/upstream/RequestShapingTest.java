package io.proxygate.adapter.out.upstream;

import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.testsupport.MockUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.proxygate.adapter.out.upstream.Fixtures.clientAuth;
import static io.proxygate.adapter.out.upstream.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each credential kind sends upstream: exact URL, headers and body bytes, against a real HTTP server. */
class RequestShapingTest {
    private static final String OK_JSON = "{\"ok\":true}";
    private MockUpstream mock;
    private HttpUpstreamAdapter adapter;

    @BeforeEach
    void start() throws Exception {
        mock = new MockUpstream()
                .reply("/backend-api/codex/responses", 200, "application/json", OK_JSON)
                .reply("/backend-api/codex/models", 200, "application/json", OK_JSON)
                .reply("/v1/", 200, "application/json", OK_JSON)
                .reply("/custom/", 200, "application/json", OK_JSON)
                .reply("/full/", 200, "application/json", OK_JSON);
        adapter = new HttpUpstreamAdapter(Fixtures.settingsFor(mock).build());
    }

    @AfterEach
    void stop() {
        adapter.close();
        mock.close();
    }

    private MockUpstream.Recorded send(UpstreamRequest request) throws Exception {
        try (UpstreamCall call = adapter.open(request)) {
            Reading.readAll(call);
        }
        return mock.nextRequest();
    }

    private static void assertNoClientCredentials(MockUpstream.Recorded sent) {
        assertThat(sent.headerValues("x-proxygate-token")).isEmpty();
        assertThat(sent.headerValues("authorization")).noneMatch(v -> v.contains("proxy-token-of-the-client"));
        assertThat(sent.headerValues("x-api-key")).noneMatch(v -> v.contains("client-proxy-key"));
    }

    @Test
    void chatgptAccountGetsBearerAccountIdAndCodexBody() throws Exception {
        String body = "{\"model\":\"gpt-5.5\",\"input\":\"hi\",\"temperature\":0.2,\"max_output_tokens\":64,"
                + "\"reasoning\":{\"effort\":\"high\"},\"store\":true,\"prompt_cache_key\":\"sess-1\"}";
        Headers headers = clientAuth("originator", "codex_cli_rs", "User-Agent", "codex_cli_rs/0.171",
                "version", "0.171.0", "session-id", "sess-1", "session_id", "sess-1", "thread-id", "th-1",
                "x-codex-turn-metadata", "{\"session_id\":\"sess-1\"}", "x-codex-window-id", "w-1",
                "x-codex-beta-features", "f1", "Accept-Encoding", "gzip, br");

        MockUpstream.Recorded sent = send(request(Route.RESPONSES, Fixtures.chatgpt("acct-42"), headers, body, true));

        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.uri().getPath()).isEqualTo("/backend-api/codex/responses");
        assertThat(sent.firstHeader("authorization")).contains("Bearer " + Fixtures.CHATGPT_TOKEN);
        assertThat(sent.firstHeader("chatgpt-account-id")).contains("acct-42");
        assertThat(sent.firstHeader("accept")).contains("text/event-stream");
        assertThat(sent.firstHeader("accept-encoding")).contains("identity");
        assertThat(sent.firstHeader("content-type")).contains("application/json");
        assertThat(sent.firstHeader("originator")).contains("codex_cli_rs");
        assertThat(sent.firstHeader("user-agent")).contains("codex_cli_rs/0.171");
        assertThat(sent.firstHeader("version")).contains("0.171.0");
        assertThat(sent.firstHeader("session-id")).contains("sess-1");
        assertThat(sent.firstHeader("session_id")).contains("sess-1");
        assertThat(sent.firstHeader("thread-id")).contains("th-1");
        assertThat(sent.firstHeader("x-codex-turn-metadata")).contains("{\"session_id\":\"sess-1\"}");
        assertThat(sent.firstHeader("x-codex-window-id")).contains("w-1");
        assertThat(sent.firstHeader("x-codex-beta-features")).contains("f1");
        assertNoClientCredentials(sent);
        // Codex omits instructions on its own backend: none is added to what it sent.
        assertThat(sent.body()).isEqualTo("{\"model\":\"gpt-5.5\","
                + "\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"reasoning\":{\"effort\":\"high\"},\"store\":false,\"prompt_cache_key\":\"sess-1\","
                + "\"stream\":true}");
    }

    @Test
    void chatgptAccountAddsInstructionsOnlyForClientsOtherThanCodex() throws Exception {
        String body = "{\"model\":\"gpt-5\",\"input\":[],\"store\":false,\"stream\":true}";

        MockUpstream.Recorded codex = send(request(Route.RESPONSES, Fixtures.chatgpt("a"),
                Headers.of("originator", "codex_exec"), body, true));
        MockUpstream.Recorded other = send(request(Route.RESPONSES, Fixtures.chatgpt("a"),
                Headers.of("User-Agent", "opencode/1.18.33"), body, true));

        assertThat(codex.body()).isEqualTo(body);
        assertThat(other.body()).isEqualTo(
                "{\"model\":\"gpt-5\",\"input\":[],\"store\":false,\"stream\":true,\"instructions\":\"\"}");
    }

    @Test
    void theClientsHeadersKeepTheirOrderAndThePooledCredentialTakesTheClientsPlace() {
        RequestShaper shaper = new RequestShaper(Fixtures.settingsFor(mock).build());
        Headers client = Headers.of("Host", "127.0.0.1:8787", "Content-Type", "application/json",
                "originator", "codex_exec", "Authorization", "Bearer proxy-token-of-the-client",
                "chatgpt-account-id", "the-clients-own", "Accept", "text/event-stream", "session-id", "s-1",
                "Accept-Encoding", "zstd, gzip", "Content-Length", "60", "x-new-client-header", "kept");

        PreparedRequest prepared = shaper.shape(new UpstreamRequest(Route.RESPONSES, Fixtures.chatgpt("acct-42"), "",
                client, "{\"input\":[],\"store\":false,\"stream\":true}".getBytes(StandardCharsets.UTF_8), true));

        assertThat(prepared.headers()).extracting(h -> h.getName() + ": " + h.getValue()).containsExactly(
                "Content-Type: application/json",
                "originator: codex_exec",
                "Authorization: Bearer " + Fixtures.CHATGPT_TOKEN,
                "ChatGPT-Account-Id: acct-42",
                "Accept: text/event-stream",
                "session-id: s-1",
                "Accept-Encoding: identity",
                "x-new-client-header: kept");
    }

    @Test
    void hopByHopCredentialAndInternalHeadersNeverPass() {
        RequestShaper shaper = new RequestShaper(Fixtures.settingsFor(mock).build());
        Headers client = Headers.of("Connection", "keep-alive, X-Hop", "X-Hop", "private to this hop",
                "Keep-Alive", "timeout=5", "TE", "trailers", "Transfer-Encoding", "chunked", "Upgrade", "h2c",
                "Proxy-Authorization", "Basic x", "Proxy-Connection", "keep-alive", "Cookie", "admin_session=1",
                "X-ProxyGate-Token", "t", "x-api-key", "k", "api-key", "k", "x-goog-api-key", "k",
                "X-Admin-Token", "admin", "X-Forwarded-For", "10.0.0.1", "Forwarded", "for=10.0.0.1", "X-Real-IP", "10.0.0.1",
                "Expect", "100-continue", "x-proxygate-request-id", "r", "anthropic-version", "2023-06-01");

        PreparedRequest prepared = shaper.shape(new UpstreamRequest(Route.MESSAGES, Fixtures.anthropicKey(null), "",
                client, "{}".getBytes(StandardCharsets.UTF_8), false));

        assertThat(prepared.headers()).extracting(h -> h.getName()).containsExactly(
                "x-api-key", "anthropic-version", "Accept-Encoding");
        assertThat(prepared.header("x-api-key")).contains(Fixtures.ANTHROPIC_KEY);
    }

    @Test
    void chatgptAccountWithoutKnownAccountIdSendsNoAccountHeader() throws Exception {
        MockUpstream.Recorded sent = send(request(Route.RESPONSES, Fixtures.chatgpt(""), Headers.EMPTY,
                "{\"model\":\"m\",\"input\":[]}", true));

        assertThat(sent.headerValues("chatgpt-account-id")).isEmpty();
    }

    @Test
    void chatgptCompactAsksForJsonAndDropsStreamAndStore() throws Exception {
        String body = "{\"model\":\"gpt-5.5\",\"input\":[],\"stream\":true,\"store\":false,\"instructions\":\"x\"}";

        MockUpstream.Recorded sent = send(request(Route.RESPONSES_COMPACT, Fixtures.chatgpt("acct-42"),
                clientAuth(), body, false));

        assertThat(sent.uri().getPath()).isEqualTo("/backend-api/codex/responses/compact");
        assertThat(sent.firstHeader("accept")).contains("application/json");
        assertThat(sent.body()).isEqualTo("{\"model\":\"gpt-5.5\",\"input\":[],\"instructions\":\"x\"}");
        assertNoClientCredentials(sent);
    }

    @Test
    void chatgptModelsIsAGetWithTheClientsQuery() throws Exception {
        UpstreamRequest r = new UpstreamRequest(Route.MODELS, Fixtures.chatgpt("acct-42"), "client_version=0.160.0",
                clientAuth(), new byte[0], false);

        MockUpstream.Recorded sent = send(r);

        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.uri().getPath()).isEqualTo("/backend-api/codex/models");
        assertThat(sent.uri().getQuery()).isEqualTo("client_version=0.160.0");
        assertThat(sent.body()).isEmpty();
        assertNoClientCredentials(sent);
    }

    @Test
    void openaiKeyForwardsTheClientBodyByteForByte() throws Exception {
        String body = "{ \"model\" : \"gpt-4.1\",\n  \"input\": \"hi\", \"temperature\": 1.50e0, \"store\": true }";

        MockUpstream.Recorded sent = send(request(Route.RESPONSES, Fixtures.openaiKey(null),
                clientAuth("OpenAI-Beta", "responses=v1"), body, true));

        assertThat(sent.uri().getPath()).isEqualTo("/v1/responses");
        assertThat(sent.firstHeader("authorization")).contains("Bearer " + Fixtures.OPENAI_KEY);
        // The body's stream flag decides the reply's shape: no Accept is made up for a client that sent none.
        assertThat(sent.headerValues("accept")).isEmpty();
        assertThat(sent.firstHeader("openai-beta")).contains("responses=v1");
        assertThat(sent.bytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
        assertNoClientCredentials(sent);
    }

    @Test
    void openaiKeyBaseUrlReplacesTheBaseForEveryRoute() throws Exception {
        var key = Fixtures.openaiKey(mock.url("/custom/v1/"));

        assertThat(send(request(Route.RESPONSES, key, Headers.EMPTY, "{}", false)).uri().getPath())
                .isEqualTo("/custom/v1/responses");
        assertThat(send(request(Route.RESPONSES_COMPACT, key, Headers.EMPTY, "{}", false)).uri().getPath())
                .isEqualTo("/custom/v1/responses/compact");
        assertThat(send(request(Route.CHAT_COMPLETIONS, key, Headers.EMPTY, "{}", false)).uri().getPath())
                .isEqualTo("/custom/v1/chat/completions");
    }

    @Test
    void openaiFullUrlOverridesWinOverTheBase() throws Exception {
        adapter.close();
        adapter = new HttpUpstreamAdapter(Fixtures.settingsFor(mock)
                .openaiResponsesUrl(mock.url("/full/responses"))
                .openaiChatUrl(mock.url("/full/chat"))
                .build());
        var key = Fixtures.openaiKey(null);

        assertThat(send(request(Route.RESPONSES, key, Headers.EMPTY, "{}", false)).uri().getPath())
                .isEqualTo("/full/responses");
        assertThat(send(request(Route.RESPONSES_COMPACT, key, Headers.EMPTY, "{}", false)).uri().getPath())
                .isEqualTo("/full/responses/compact");
        MockUpstream.Recorded chat = send(request(Route.CHAT_COMPLETIONS, key, Headers.EMPTY, "{\"stream\":false}", false));
        assertThat(chat.uri().getPath()).isEqualTo("/full/chat");
        assertThat(send(request(Route.MODELS, key, Headers.EMPTY, "", false)).uri().getPath())
                .isEqualTo("/v1/models");
    }

    @Test
    void claudeAccountWithClaudeCodeKeepsTheBodyAndMergesBetas() throws Exception {
        String body = "{\"model\":\"claude-opus-4-7\",\"system\":[{\"type\":\"text\",\"text\":\"custom\"}],"
                + "\"messages\":[],\"stream\":true}";
        Headers headers = clientAuth(
                "anthropic-version", "2023-06-01",
                "anthropic-beta", "claude-code-20250219,oauth-2025-04-20, interleaved-thinking-2025-05-14",
                "User-Agent", "claude-cli/2.1.3 (external, cli)",
                "x-app", "cli",
                "X-Claude-Code-Session-Id", "8d0c",
                "X-Stainless-OS", "Linux",
                "X-Unrelated", "kept too");
        UpstreamRequest r = new UpstreamRequest(Route.MESSAGES, Fixtures.claude(), "beta=true", headers,
                body.getBytes(StandardCharsets.UTF_8), true);

        MockUpstream.Recorded sent = send(r);

        assertThat(sent.uri().getPath()).isEqualTo("/v1/messages");
        assertThat(sent.uri().getQuery()).isEqualTo("beta=true");
        assertThat(sent.firstHeader("authorization")).contains("Bearer " + Fixtures.CLAUDE_TOKEN);
        assertThat(sent.headerValues("x-api-key")).isEmpty();
        assertThat(sent.firstHeader("anthropic-version")).contains("2023-06-01");
        assertThat(sent.headerValues("anthropic-beta"))
                .containsExactly("claude-code-20250219,oauth-2025-04-20, interleaved-thinking-2025-05-14");
        assertThat(sent.firstHeader("user-agent")).contains("claude-cli/2.1.3 (external, cli)");
        assertThat(sent.firstHeader("x-claude-code-session-id")).contains("8d0c");
        assertThat(sent.firstHeader("x-stainless-os")).contains("Linux");
        assertThat(sent.firstHeader("x-unrelated")).contains("kept too");
        assertThat(sent.headerValues("accept")).isEmpty();
        assertThat(sent.body()).isEqualTo(body);
        assertNoClientCredentials(sent);
    }

    @Test
    void claudeAccountAppendsTheOAuthBetaAfterTheClientsOwn() throws Exception {
        MockUpstream.Recorded listed = send(request(Route.MESSAGES, Fixtures.claude(),
                Headers.of("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14"), "{}", false));
        MockUpstream.Recorded none = send(request(Route.MESSAGES, Fixtures.claude(), Headers.EMPTY, "{}", false));

        assertThat(listed.headerValues("anthropic-beta"))
                .containsExactly("claude-code-20250219,interleaved-thinking-2025-05-14,oauth-2025-04-20");
        assertThat(none.headerValues("anthropic-beta")).containsExactly("oauth-2025-04-20");
    }

    @Test
    void claudeAccountWithAnotherClientIsMadeToLookLikeClaudeCodeWhenTheOperatorAsks() throws Exception {
        adapter.close();
        adapter = new HttpUpstreamAdapter(Fixtures.settingsFor(mock).claudeCodeMimicry(true).build());
        String body = "{\"model\":\"claude-sonnet-4-6\",\"system\":\"Be terse.\",\"messages\":[]}";
        Headers headers = clientAuth("User-Agent", "opencode/1.0", "anthropic-beta", "files-api-2025-04-14",
                "X-Stainless-Lang", "js", "X-Stainless-Package-Version", "0.60.0");

        MockUpstream.Recorded sent = send(request(Route.MESSAGES, Fixtures.claude(), headers, body, false));

        assertThat(sent.firstHeader("user-agent")).contains(UpstreamSettings.DEFAULT_CLAUDE_CODE_USER_AGENT);
        assertThat(sent.firstHeader("x-app")).contains("cli");
        assertThat(sent.firstHeader("anthropic-dangerous-direct-browser-access")).contains("true");
        assertThat(sent.firstHeader("anthropic-version")).contains("2023-06-01");
        assertThat(sent.firstHeader("anthropic-beta")).contains(
                "files-api-2025-04-14,oauth-2025-04-20,claude-code-20250219,interleaved-thinking-2025-05-14");
        assertThat(sent.headerValues("x-stainless-lang")).isEmpty();
        assertThat(sent.headerValues("x-stainless-package-version")).isEmpty();
        assertThat(sent.body()).isEqualTo("{\"model\":\"claude-sonnet-4-6\",\"system\":["
                + ClaudeCodeMimicry.BANNER_BLOCK + ",{\"type\":\"text\",\"text\":\"Be terse.\"}],\"messages\":[]}");
        assertNoClientCredentials(sent);
    }

    @Test
    void mimicryIsOffByDefault() throws Exception {
        String body = "{\"model\":\"claude-sonnet-4-6\",\"system\":\"Be terse.\",\"messages\":[]}";

        MockUpstream.Recorded sent = send(request(Route.MESSAGES, Fixtures.claude(),
                Headers.of("User-Agent", "opencode/1.0", "X-Stainless-Lang", "js"), body, false));

        assertThat(sent.body()).isEqualTo(body);
        assertThat(sent.firstHeader("user-agent")).contains("opencode/1.0");
        assertThat(sent.firstHeader("x-stainless-lang")).contains("js");
        assertThat(sent.headerValues("x-app")).isEmpty();
        assertThat(sent.firstHeader("anthropic-beta")).contains("oauth-2025-04-20");
    }

    @Test
    void anthropicKeyUsesXApiKeyAndNeverMimics() throws Exception {
        String body = "{\"model\":\"claude-sonnet-4-6\",\"system\":\"Be terse.\",\"messages\":[]}";
        Headers headers = clientAuth("User-Agent", "opencode/1.0", "anthropic-beta", "files-api-2025-04-14");

        MockUpstream.Recorded sent = send(request(Route.MESSAGES, Fixtures.anthropicKey(null), headers, body, true));

        assertThat(sent.uri().getPath()).isEqualTo("/v1/messages");
        assertThat(sent.firstHeader("x-api-key")).contains(Fixtures.ANTHROPIC_KEY);
        assertThat(sent.headerValues("authorization")).isEmpty();
        assertThat(sent.firstHeader("anthropic-version")).contains("2023-06-01");
        assertThat(sent.firstHeader("anthropic-beta")).contains("files-api-2025-04-14");
        assertThat(sent.firstHeader("user-agent")).contains("opencode/1.0");
        assertThat(sent.headerValues("x-app")).isEmpty();
        assertThat(sent.body()).isEqualTo(body);
        assertNoClientCredentials(sent);
    }

    @Test
    void anthropicKeyBaseUrlGetsV1MessagesAndCountTokensAppended() throws Exception {
        var key = Fixtures.anthropicKey(mock.url("/custom/"));

        assertThat(send(request(Route.MESSAGES, key, Headers.EMPTY, "{}", false)).uri().getPath())
                .isEqualTo("/custom/v1/messages");
        assertThat(send(request(Route.MESSAGES_COUNT_TOKENS, key, Headers.EMPTY, "{}", false)).uri().getPath())
                .isEqualTo("/custom/v1/messages/count_tokens");
    }

    @Test
    void aCredentialThatCannotServeTheRouteIsRejectedBeforeAnyCall() {
        assertThatThrownBy(() -> adapter.open(request(Route.MESSAGES, Fixtures.chatgpt("a"), Headers.EMPTY, "{}",
                false))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> adapter.open(request(Route.CHAT_COMPLETIONS, Fixtures.claude(), Headers.EMPTY, "{}",
                false))).isInstanceOf(IllegalArgumentException.class);
        assertThat(mock.pendingRequests()).isZero();
    }

    private static UpstreamRequest zstdRequest(Route route, io.proxygate.domain.credential.Credential credential,
                                               String json, Headers headers) {
        byte[] decoded = json.getBytes(StandardCharsets.UTF_8);
        // The adapter never decodes: opaque bytes behind zstd's magic number stand in for the client's frame.
        byte[] encoded = {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD, 1, 2, 3, 4, 5};
        return new UpstreamRequest(route, credential, "", headers, decoded, true, null, null,
                java.util.Optional.of(new io.proxygate.application.http.EncodedBody("zstd", encoded)));
    }

    @Test
    void aZstdBodyTheCodexBackendTakesGoesAsTheClientsOwnBytes() throws Exception {
        String json = "{\"model\":\"gpt-5\",\"input\":[],\"store\":false,\"stream\":true}";
        UpstreamRequest r = zstdRequest(Route.RESPONSES, Fixtures.chatgpt("a"), json,
                Headers.of("originator", "codex_exec", "Content-Type", "application/json", "Content-Encoding", "zstd"));

        MockUpstream.Recorded sent = send(r);

        assertThat(sent.firstHeader("content-encoding")).contains("zstd");
        assertThat(sent.bytes()).isEqualTo(r.encodedBody().orElseThrow().bytes());
    }

    @Test
    void aZstdBodyThatNeedsARewriteGoesDecodedWithoutItsEncoding() throws Exception {
        String json = "{\"model\":\"gpt-5\",\"input\":[],\"store\":false,\"stream\":true}";
        UpstreamRequest r = zstdRequest(Route.RESPONSES, Fixtures.chatgpt("a"), json,
                Headers.of("User-Agent", "some-sdk/1", "Content-Encoding", "zstd"));

        MockUpstream.Recorded sent = send(r);

        assertThat(sent.headerValues("content-encoding")).isEmpty();
        assertThat(sent.body()).isEqualTo(
                "{\"model\":\"gpt-5\",\"input\":[],\"store\":false,\"stream\":true,\"instructions\":\"\"}");
    }

    @Test
    void upstreamsThatDocumentNoCompressedBodiesGetTheDecodedBody() throws Exception {
        String json = "{\"model\":\"gpt-4.1\",\"input\":\"hi\"}";
        UpstreamRequest r = zstdRequest(Route.RESPONSES, Fixtures.openaiKey(null), json,
                Headers.of("Content-Encoding", "zstd"));

        MockUpstream.Recorded sent = send(r);

        assertThat(sent.headerValues("content-encoding")).isEmpty();
        assertThat(sent.body()).isEqualTo(json);
    }

    @Test
    void aClientWithoutAUserAgentIsRelayedUnderProxyGatesOwnNeverTheLibrarys() throws Exception {
        MockUpstream.Recorded without = send(request(Route.RESPONSES, Fixtures.openaiKey(null), Headers.EMPTY, "{}",
                false));
        MockUpstream.Recorded with = send(request(Route.RESPONSES, Fixtures.openaiKey(null),
                Headers.of("User-Agent", "OpenAI/Java 4.0"), "{}", false));

        assertThat(without.headerValues("user-agent")).containsExactly(ProxyGateUserAgent.VALUE);
        assertThat(with.headerValues("user-agent")).containsExactly("OpenAI/Java 4.0");
    }
}
