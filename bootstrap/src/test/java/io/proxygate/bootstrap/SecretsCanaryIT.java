package io.proxygate.bootstrap;

import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import io.proxygate.bootstrap.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole session with canary secrets (pooled OAuth tokens, refreshed tokens, API keys, the proxy and admin tokens):
 * requests through accounts and keys, a 401 that forces a token refresh at a mock token endpoint, a failing key, admin
 * API reads, the dashboard, health and metrics, with the server logging at debug. No canary may appear in the
 * server's output, in any response body or header, in the metrics or in the dashboard HTML.
 */
class SecretsCanaryIT {
    private static final String PROXY_TOKEN = "pg-proxy-canary-7f3a91";
    private static final String ADMIN_TOKEN = "pg-admin-canary-2c88d4";
    private static final String CHATGPT_ACCESS = "fake-access-canary-chatgpt-5b1e";
    private static final String CHATGPT_REFRESH = "fake-refresh-canary-chatgpt-9d02";
    private static final String REFRESHED_ACCESS = "fake-access-canary-refreshed-44af";
    private static final String REFRESHED_REFRESH = "fake-refresh-canary-refreshed-61c3";
    private static final String OPENAI_KEY = "sk-test-canary-openai-0e7d";
    private static final String ANTHROPIC_KEY = "sk-ant-test-canary-anthropic-83b2";

    private static final List<String> CANARIES = List.of(PROXY_TOKEN, ADMIN_TOKEN, CHATGPT_ACCESS, CHATGPT_REFRESH,
            REFRESHED_ACCESS, REFRESHED_REFRESH, OPENAI_KEY, ANTHROPIC_KEY);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> seen = new ArrayList<>();

    @Test
    void noSecretLeaksIntoLogsResponsesMetricsOrTheDashboard(@TempDir Path root) throws Exception {
        AtomicInteger chatgptCalls = new AtomicInteger();
        try (MockUpstream upstream = new MockUpstream()) {
            upstream.on("POST", "/backend-api/codex/responses", (r, ex) -> {
                if (("Bearer " + CHATGPT_ACCESS).equals(r.header("Authorization"))) {
                    chatgptCalls.incrementAndGet();
                    MockUpstream.json(ex, 401, "{\"error\":{\"message\":\"token expired\"}}");
                } else {
                    UpstreamReplies.responsesStream(ex, "resp_1", "hello");
                }
            });
            upstream.on("POST", "/oauth/token", (r, ex) -> MockUpstream.json(ex, 200, "{\"access_token\":\""
                    + REFRESHED_ACCESS + "\",\"refresh_token\":\"" + REFRESHED_REFRESH + "\",\"expires_in\":3600}"));
            upstream.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.chatJson("hi")));
            upstream.on("POST", "/v1/messages", (r, ex) -> MockUpstream.json(ex, 429,
                    "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"));
            upstream.on("GET", "/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));

            Path pool = root.resolve("pool");
            PoolFiles.chatgptWithTokens(pool, "canary", CHATGPT_ACCESS, CHATGPT_REFRESH);
            PoolFiles.key(pool, "openai-canary", "openai", OPENAI_KEY);
            PoolFiles.key(pool, "anthropic-canary", "anthropic", ANTHROPIC_KEY);
            int adminPort = ServerProcess.freePort();
            try (ServerProcess server = ServerProcess.start(root, ProxyGateRunner.upstreamsAt(upstream.url(), Map.of(
                    "PROXYGATE_PROXY_TOKEN", PROXY_TOKEN,
                    "PROXYGATE_ADMIN_TOKEN", ADMIN_TOKEN,
                    "PROXYGATE_ADMIN_ADDR", "127.0.0.1:" + adminPort,
                    "PROXYGATE_LOG_LEVEL", "debug",
                    "PROXYGATE_OAUTH_OPENAI_ISSUER", upstream.url())))) {
                String auth = "Bearer " + PROXY_TOKEN;
                assertThat(call(server.url("/v1/responses"), "{\"model\":\"gpt-5\",\"input\":\"hi\"}", auth)
                        .statusCode()).isEqualTo(200);
                assertThat(chatgptCalls.get()).as("the 401 that forced a refresh").isEqualTo(1);
                assertThat(call(server.url("/v1/chat/completions"),
                        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", auth)
                        .statusCode()).isEqualTo(200);
                call(server.url("/v1/messages"), "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}",
                        auth);
                // Wrong and missing client tokens: the error must not echo what the server expected.
                call(server.url("/v1/chat/completions"), "{\"model\":\"gpt-4o\",\"messages\":[]}", "Bearer wrong");
                call(server.url("/v1/chat/completions"), "{\"model\":\"gpt-4o\",\"messages\":[]}", null);

                for (String path : List.of("/admin/status", "/admin/accounts", "/admin/claude-accounts",
                        "/admin/keys", "/admin/usage", "/admin/usage/cost", "/admin/stats", "/admin/stats/series",
                        "/admin/requests", "/admin/pricing/status", "/admin/pricing/unpriced",
                        "/admin/routing/explain?api=responses&model=gpt-5", "/admin/gcp", "/admin/claude-fallback")) {
                    get(server.url(path), ADMIN_TOKEN);
                }
                get(server.url("/admin/status"), "wrong-admin-token");
                get(server.url("/"), null);
                get(server.url("/healthz"), null);
                for (String path : List.of("/metrics", "/metrics?format=prometheus", "/healthcheck", "/threads",
                        "/prometheus")) {
                    get("http://127.0.0.1:" + adminPort + path, null);
                }
                // Admin routes that are not wired (yet) answer 404, which is also checked for leaks.
                assertThat(String.join("\n", seen)).as("the session reached the dashboard")
                        .containsIgnoringCase("<html");
                server.process().destroy();
                server.process().waitFor();
                seen.add(server.log());
                assertThat(server.log()).as("the server logged at debug").contains("DEBUG");
            }
        }
        for (String canary : CANARIES) {
            for (String text : seen) {
                assertThat(text).as("canary %s leaked", canary).doesNotContain(canary);
            }
        }
    }

    private HttpResponse<String> call(String url, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return record(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private void get(String url, String adminToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (adminToken != null) {
            b.header("X-Admin-Token", adminToken);
        }
        record(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private HttpResponse<String> record(HttpResponse<String> r) {
        seen.add(r.uri() + " " + r.statusCode() + "\n" + r.headers().map() + "\n" + r.body());
        return r;
    }
}
