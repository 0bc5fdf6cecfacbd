package io.proxygate.bootstrap;

import com.sun.net.httpserver.HttpExchange;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proxy end to end: real application, real HTTP to mock upstreams. Pool: two ChatGPT accounts (pro "alpha",
 * plus "beta"), one Claude account, one OpenAI key, one Anthropic key.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProxySystemIT {
    private static final MockUpstream UPSTREAM = ProxyGateRunner.upstreamWithEmptyUsage();
    private static final Path ROOT;
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        ROOT = PoolFiles.tempRoot("proxygate-proxy", pool -> {
            PoolFiles.alphaAndBeta(pool);
            PoolFiles.claude(pool, "claude@x.com");
            PoolFiles.key(pool, "openai-1", "openai", "sk-test-openai-key");
            PoolFiles.key(pool, "anthropic-1", "anthropic", "sk-ant-test-key");
        });
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(ROOT, ProxyGateRunner.upstreamsAt(UPSTREAM.url(),
                Map.of("PROXYGATE_UPSTREAM_ANTHROPIC_API_BASE_URL", UPSTREAM.url()))));
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + APP.getLocalPort() + path;
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Wiring wiring() {
        return ((ProxyGateApplication) APP.getApplication()).wiring();
    }

    @Test
    void responsesStreamReachesTheClientEventByEvent() throws Exception {
        int events = 5;
        CountDownLatch[] received = new CountDownLatch[events];
        for (int i = 0; i < events; i++) {
            received[i] = new CountDownLatch(1);
        }
        UPSTREAM.on("POST", "/backend-api/codex/responses", (r, ex) -> {
            OutputStream out = MockUpstream.startSse(ex, Map.of());
            for (int i = 0; i < events; i++) {
                MockUpstream.event(out, "response.output_text.delta",
                        "{\"type\":\"response.output_text.delta\",\"delta\":\"part" + i + "\"}");
                try {
                    // The next event is held until the client has seen this one through the proxy.
                    if (!received[i].await(10, TimeUnit.SECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        HttpRequest request = HttpRequest.newBuilder(URI.create(url("/v1/responses")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}"))
                .header("Content-Type", "application/json").build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            int seen = 0;
            String line;
            while (seen < events && (line = reader.readLine()) != null) {
                if (line.startsWith("data:") && line.contains("part" + seen)) {
                    received[seen].countDown();
                    seen++;
                }
            }
            assertThat(seen).isEqualTo(events);
        }
        assertThat(UPSTREAM.requests("/backend-api/codex/responses").getLast().header("Authorization"))
                .isEqualTo("Bearer fake-access-acc-alpha");
    }

    @Test
    void aRateLimitedAccountIsSkippedWithoutTheClientNoticing() throws Exception {
        UPSTREAM.on("POST", "/backend-api/codex/responses", (r, ex) -> {
            if ("acc-alpha".equals(r.header("ChatGPT-Account-Id"))) {
                ex.getResponseHeaders().set("retry-after", "120");
                MockUpstream.json(ex, 429, "{\"error\":{\"message\":\"slow down\"}}");
            } else {
                UpstreamReplies.responsesStream(ex, "resp_from_" + r.header("ChatGPT-Account-Id"), "hello");
            }
        });
        try {
            HttpResponse<String> r = post("/v1/responses", "{\"model\":\"gpt-5\",\"input\":\"hi\"}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("resp_from_acc-beta").contains("hello");
            CredentialStatus alpha = wiring().router().statuses().stream()
                    .filter(s -> s.id().value().equals("chatgpt:alpha@x.com")).findFirst().orElseThrow();
            assertThat(alpha.cooldownUntil()).isPresent();
        } finally {
            // Lift the cooldown so other tests can use alpha again.
            wiring().router().onTokensRenewed(io.proxygate.domain.credential.CredentialId.chatgpt("alpha@x.com"));
        }
    }

    @Test
    void aClientThatGoesAwayCancelsTheUpstreamAndFreesTheSlot() throws Exception {
        CountDownLatch upstreamSawClose = new CountDownLatch(1);
        UPSTREAM.on("POST", "/v1/messages", (r, ex) -> streamUntilClosed(ex, upstreamSawClose));
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"stream\":true,\"messages\":[]}";
        // A raw socket, so that closing it really drops the connection as a killed client would.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", APP.getLocalPort())) {
            socket.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null && !line.startsWith("data:")) {
                // skip the status line, headers and chunk sizes until the first event arrives
            }
            assertThat(line).as("first event").isNotNull();
        }
        assertThat(upstreamSawClose.await(10, TimeUnit.SECONDS)).as("upstream saw the connection close").isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                wiring().router().statuses().stream().mapToInt(CredentialStatus::inFlight).sum()).isZero());
    }

    private static void streamUntilClosed(HttpExchange ex, CountDownLatch closed) throws IOException {
        OutputStream out = MockUpstream.startSse(ex, Map.of());
        try {
            for (int i = 0; i < 600; i++) {
                MockUpstream.event(out, "ping", "{\"type\":\"ping\"}");
                Thread.sleep(50); // the upstream's own pace, not synchronisation
            }
        } catch (IOException | InterruptedException gone) {
            closed.countDown();
        }
    }

    @Test
    void messagesAreServedByTheClaudeAccountFirstWithItsOAuthToken() throws Exception {
        UPSTREAM.on("POST", "/v1/messages", (r, ex) -> UpstreamReplies.messagesStream(ex, "hi from claude"));
        HttpResponse<String> r = post("/v1/messages?beta=true",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"stream\":true,\"messages\":[]}",
                "x-api-key", "client-key-must-not-leak", "anthropic-beta", "claude-code-20250219");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("hi from claude").contains("message_stop");
        MockUpstream.Recorded seen = UPSTREAM.requests("/v1/messages").getLast();
        assertThat(seen.header("Authorization")).startsWith("Bearer sk-ant-oat01-fake-");
        assertThat(seen.header("x-api-key")).isNull();
        assertThat(seen.header("anthropic-beta")).contains("oauth-2025-04-20").contains("claude-code-20250219");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            RequestRecord row = wiring().requestLog().recent(10).stream()
                    .filter(x -> x.route().equals("/v1/messages") && x.status() == 200).findFirst().orElseThrow();
            assertThat(row.tokens().inputTokens()).isEqualTo(12);
            assertThat(row.tokens().cacheCreationTokens()).isEqualTo(2);
            assertThat(row.tokens().cachedInputTokens()).isEqualTo(3);
            assertThat(row.tokens().outputTokens()).isEqualTo(8);
        });
    }

    @Test
    void oneHourCacheWritesArePricedAtTheEmbeddedSnapshotsOneHourRate() throws Exception {
        UPSTREAM.on("POST", "/v1/messages", (r, ex) -> {
            OutputStream out = UpstreamReplies.messagesStreamStart(ex, "req_1h", "msg_1h", "claude-opus-4-6",
                    "{\"input_tokens\":10,\"cache_creation_input_tokens\":1000,\"cache_read_input_tokens\":0,"
                    + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":400,\"ephemeral_1h_input_tokens\":600},"
                    + "\"output_tokens\":1}");
            MockUpstream.event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                    + "\"end_turn\"},\"usage\":{\"output_tokens\":5}}");
            MockUpstream.event(out, "message_stop", "{\"type\":\"message_stop\"}");
        });
        HttpResponse<String> r = post("/v1/messages",
                "{\"model\":\"claude-opus-4-6\",\"max_tokens\":10,\"stream\":true,\"messages\":[]}");
        assertThat(r.statusCode()).isEqualTo(200);
        // 10 x 5e-6 + 400 x 6.25e-6 (five-minute writes) + 600 x 1e-5 (one-hour writes) + 5 x 2.5e-5
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(wiring().requestLog().recent(20).stream()
                .filter(x -> x.responseId().equals(java.util.Optional.of("msg_1h"))).findFirst().orElseThrow().costUsd())
                .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.008675")));
    }

    @Test
    void chatCompletionsUseTheOpenAiKey() throws Exception {
        UPSTREAM.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.chatJson("CHAT_OK")));
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}",
                "Authorization", "Bearer client-secret");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("CHAT_OK");
        assertThat(UPSTREAM.requests("/v1/chat/completions").getLast().header("Authorization"))
                .isEqualTo("Bearer sk-test-openai-key");
    }

    @Test
    void malformedJsonIsA400InTheApisOwnShape() throws Exception {
        HttpResponse<String> openai = post("/v1/responses", "{\"model\":");
        assertThat(openai.statusCode()).isEqualTo(400);
        assertThat(openai.body()).startsWith("{\"error\":{\"message\":");
        HttpResponse<String> anthropic = post("/v1/messages", "not json");
        assertThat(anthropic.statusCode()).isEqualTo(400);
        assertThat(anthropic.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"");
    }

    @Test
    void upstreamClientErrorsAreRelayedAsIs() throws Exception {
        UPSTREAM.on("POST", "/v1/chat/completions", (r, ex) ->
                MockUpstream.json(ex, 400, "{\"error\":{\"message\":\"bad model\",\"type\":\"invalid_request_error\"}}"));
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("bad model");
    }

    @Test
    void theSamePromptCacheKeyKeepsLandingOnTheSameAccount() throws Exception {
        UPSTREAM.on("POST", "/backend-api/codex/responses", (r, ex) ->
                UpstreamReplies.responsesStream(ex, "resp_" + r.header("ChatGPT-Account-Id"), "ok"));
        List<String> owners = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String body = post("/v1/responses", "{\"model\":\"gpt-5\",\"prompt_cache_key\":\"conv-42\",\"input\":\"hi\"}")
                    .body();
            owners.add(body.contains("resp_acc-alpha") ? "alpha" : body.contains("resp_acc-beta") ? "beta" : body);
        }
        assertThat(owners).containsOnly(owners.get(0));
    }

    @Test
    void chatGptBackendPathsPassThroughWithAPooledAccount() throws Exception {
        UPSTREAM.on("GET", "/backend-api/wham/tasks", (r, ex) ->
                MockUpstream.json(ex, 200, "{\"items\":[],\"query\":\"" + r.query() + "\"}"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/backend-api/wham/tasks?limit=5")))
                .header("Authorization", "Bearer client-token").header("Cookie", "session=secret").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"query\":\"limit=5\"");
        MockUpstream.Recorded seen = UPSTREAM.requests("/backend-api/wham/tasks").getLast();
        assertThat(seen.header("Authorization")).startsWith("Bearer fake-access-acc-");
        assertThat(seen.header("ChatGPT-Account-Id")).startsWith("acc-");
        assertThat(seen.header("Cookie")).isNull();
    }

    @Test
    void compressedRequestBodiesAreDecodedOnceAndSentPlain() throws Exception {
        UPSTREAM.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.chatJson("ok")));
        String json = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"compressed\"}]}";
        java.io.ByteArrayOutputStream gzip = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gzip)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        byte[] zstd = com.github.luben.zstd.Zstd.compress(json.getBytes(StandardCharsets.UTF_8));
        for (var encoded : Map.of("gzip", gzip.toByteArray(), "zstd", zstd).entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/v1/chat/completions")))
                    .header("Content-Type", "application/json").header("Content-Encoding", encoded.getKey())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(encoded.getValue())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(encoded.getKey()).isEqualTo(200);
            MockUpstream.Recorded seen = UPSTREAM.requests("/v1/chat/completions").getLast();
            assertThat(seen.body()).isEqualTo(json);
            assertThat(seen.header("Content-Encoding")).isNull();
        }
    }

    @Test
    void anOversizedBodyIsA413InTheApisShape() throws Exception {
        byte[] big = new byte[(int) (65L * 1024 * 1024)];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/v1/messages")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).startsWith("{\"type\":\"error\"");
    }
}
