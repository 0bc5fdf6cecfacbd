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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin port's log-level task is the way to turn loggers up at run time. It needs the admin token; it turns
 * ProxyGate's own loggers to TRACE but sets HttpClient's header and wire loggers and Jetty's HTTP parser, which print
 * every header, to INFO instead (as {@code [log] level = "debug"} does); and requests carrying canary secrets (client
 * proxy token, pooled OAuth token, API keys, a key the server does not know) leave no secret in the server's output.
 */
class TraceLoggingCanaryIT {
    private static final String PROXY_TOKEN = "pg-proxy-trace-canary-31b7";
    private static final String ADMIN_TOKEN = "pg-admin-trace-canary-90aa";
    private static final String CHATGPT_ACCESS = "fake-access-trace-canary-77c1";
    private static final String OPENAI_KEY = "sk-test-trace-canary-openai-5e2d";
    private static final String ANTHROPIC_KEY = "sk-ant-test-trace-canary-4f19";
    /** A client's key that is nobody's secret here: only the log's rules can mask it. */
    private static final String UNKNOWN_KEY = "UNKNOWNtraceCANARYkey42";
    private static final List<String> CANARIES = List.of(PROXY_TOKEN, ADMIN_TOKEN, CHATGPT_ACCESS, OPENAI_KEY,
            ANTHROPIC_KEY, UNKNOWN_KEY);
    private static final List<String> LOGGERS = List.of("org.apache.hc.client5.http.headers",
            "org.apache.hc.client5.http.wire", "org.eclipse.jetty.http.HttpParser", "org.eclipse.jetty.server",
            "org.apache.hc.core5");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void logLevelTaskNeedsTheAdminTokenAndTraceLoggersPrintNoSecret(@TempDir Path root) throws Exception {
        try (MockUpstream upstream = new MockUpstream()) {
            upstream.on("POST", "/backend-api/codex/responses", (r, ex) -> UpstreamReplies.responsesStream(ex, "r1", "hi"));
            upstream.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.chatJson("hi")));
            upstream.on("POST", "/v1/messages", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.messageJson("hi")));
            upstream.on("GET", "/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
            Path pool = root.resolve("pool");
            PoolFiles.chatgptWithTokens(pool, "trace", CHATGPT_ACCESS, "fake-refresh-trace-canary-0d0d");
            PoolFiles.key(pool, "openai-trace", "openai", OPENAI_KEY);
            PoolFiles.key(pool, "anthropic-trace", "anthropic", ANTHROPIC_KEY);
            int adminPort = ServerProcess.freePort();
            try (ServerProcess server = ServerProcess.start(root, ProxyGateRunner.upstreamsAt(upstream.url(), Map.of(
                    "PROXYGATE_PROXY_TOKEN", PROXY_TOKEN,
                    "PROXYGATE_ADMIN_TOKEN", ADMIN_TOKEN,
                    "PROXYGATE_ADMIN_ADDR", "127.0.0.1:" + adminPort)))) {
                String tasks = "http://127.0.0.1:" + adminPort + "/tasks/log-level";
                // No token (what a cross-site form post carries): refused, and the level stays.
                assertThat(task(tasks, LOGGERS.get(0), null).statusCode()).isEqualTo(401);
                assertThat(task(tasks, LOGGERS.get(0), "wrong-token").statusCode()).isEqualTo(401);
                for (String logger : LOGGERS) {
                    HttpResponse<String> clamped = task(tasks, logger, ADMIN_TOKEN);
                    assertThat(clamped.statusCode()).as(logger).isEqualTo(200);
                    assertThat(clamped.body()).as(logger).contains(logger + " to INFO").contains("set to INFO");
                }
                HttpResponse<String> ours = task(tasks, "io.proxygate", ADMIN_TOKEN);
                assertThat(ours.body()).contains("io.proxygate to TRACE").doesNotContain("set to INFO");

                String auth = "Bearer " + PROXY_TOKEN;
                assertThat(call(server.url("/v1/responses"), "{\"model\":\"gpt-5\",\"input\":\"hi\"}",
                        "Authorization", auth).statusCode()).isEqualTo(200);
                assertThat(call(server.url("/v1/chat/completions"),
                        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "Authorization", auth).statusCode()).isEqualTo(200);
                assertThat(call(server.url("/v1/messages"),
                        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}",
                        "x-api-key", PROXY_TOKEN).statusCode()).isEqualTo(200);
                call(server.url("/v1/chat/completions"), "{}", "X-ProxyGate-Token", PROXY_TOKEN);
                assertThat(call(server.url("/v1/messages"), "{}", "x-api-key", UNKNOWN_KEY).statusCode())
                        .isEqualTo(401);

                server.process().destroy();
                server.process().waitFor();
                String log = server.log();
                assertThat(log).as("ProxyGate's loggers ran at TRACE").contains("DEBUG [");
                assertThat(log).as("HttpClient's header logger stayed at INFO")
                        .doesNotContain("org.apache.hc.client5.http.headers: ");
                assertThat(log).as("Jetty's parser logger stayed at INFO").doesNotContain("parsedHeader");
                // The wire logger prints 16 bytes a line (and in hex): no masking could catch a token cut up so.
                assertThat(log).doesNotContain("org.apache.hc.client5.http.wire");
                for (String canary : CANARIES) {
                    assertThat(log).as("canary %s leaked", canary).doesNotContain(canary);
                }
                assertThat(log).as("not even a piece of a canary").doesNotContain("trace-canary");
            }
        }
    }

    private HttpResponse<String> task(String url, String logger, String adminToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "?logger=" + logger + "&level=TRACE"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.noBody());
        if (adminToken != null) {
            b.header("X-Admin-Token", adminToken);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String url, String body, String header, String value) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
