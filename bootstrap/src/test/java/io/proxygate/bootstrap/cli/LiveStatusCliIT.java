package io.proxygate.bootstrap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.proxygate.bootstrap.ProxyGateApplication;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import io.proxygate.domain.credential.CredentialId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code status} and {@code list --long} show what only the running server knows (requests in flight against the
 * cap, model-family cooldowns) by asking its admin API, and say so when no server answers.
 */
class LiveStatusCliIT {
    @TempDir
    Path root;

    private String out;

    @Test
    void statusAndListShowInFlightAndModelCooldownsOfTheRunningServerAndANoteWhenItIsGone() throws Exception {
        Path chatgpt = Files.createDirectories(root.resolve("pool/chatgpt"));
        Files.writeString(chatgpt.resolve("solo_x.com.json"), """
                {"email":"solo@x.com","account_id":"acc-solo","plan_type":"pro","access_token":"fake-access",
                 "refresh_token":"fake-refresh","expires_at":"2099-12-31T00:00:00Z","max_concurrent":2}
                """);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        MockUpstream upstream = new MockUpstream();
        upstream.on("GET", "/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        upstream.on("POST", "/backend-api/codex/responses", (r, ex) -> {
            if (r.body().contains("\"gpt-5-pro\"")) {
                ex.getResponseHeaders().add("Retry-After", "600");
                MockUpstream.json(ex, 429, "{\"error\":{\"type\":\"usage_limit_reached\","
                        + "\"message\":\"You have hit the usage limit for gpt-5-pro. Try again later.\"}}");
                return;
            }
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            UpstreamReplies.responsesStream(ex, "resp_held", "served");
        });
        ProxyGateConfiguration config = ProxyGateRunner.config(root, Map.of(
                "PROXYGATE_UPSTREAM_CHATGPT_BASE_URL", upstream.url() + "/backend-api",
                "PROXYGATE_CHATGPT_USAGE_URL", upstream.url() + "/wham/usage"));
        DropwizardAppExtension<ProxyGateConfiguration> app = ProxyGateRunner.extension(config);
        app.before();
        Map<String, String> env = new HashMap<>(Map.of(
                "PROXYGATE_DATA_DIR", config.paths.dataDir.toString(),
                "PROXYGATE_POOL_DIR", config.paths.poolDir.toString()));
        if (!config.server.adminToken.isBlank()) {
            env.put("PROXYGATE_ADMIN_TOKEN", config.server.adminToken);
        }
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> slow;
        try {
            env.put("PROXYGATE_ADDR", "127.0.0.1:" + app.getLocalPort());
            assertThat(responses(http, app, "gpt-5-pro").statusCode()).isEqualTo(429);
            slow = http.sendAsync(request(app, "gpt-5"), HttpResponse.BodyHandlers.ofString());
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            var router = ((ProxyGateApplication) app.getApplication()).wiring().router();
            await().atMost(Duration.ofSeconds(5)).until(() -> router.statuses().stream()
                    .filter(s -> s.id().equals(CredentialId.chatgpt("solo@x.com"))).findFirst().orElseThrow()
                    .inFlight() == 1);

            assertThat(run(env, "status")).isZero();
            assertThat(out.lines().limit(5)).containsExactly(
                    "addr:        127.0.0.1:" + app.getLocalPort(),
                    "data_dir:    " + config.paths.dataDir,
                    "pool_dir:    " + config.paths.poolDir,
                    "priority:    account-first",
                    "accounts:    1");
            assertThat(out).contains("    controls: max_concurrent=2")
                    .contains("    in flight: 1/2")
                    .containsPattern("    model cooldown: gpt-5-pro until \\d\\d:\\d\\d")
                    .doesNotContain("unknown");
            // The account itself is not cooling: only the model is.
            assertThat(out).containsPattern("chatgpt:solo@x.com +active");

            JsonNode json = new ObjectMapper().readTree(run(env, "status", "--json") == 0 ? out : "{}");
            assertThat(json.path("server_running").asBoolean()).isTrue();
            JsonNode row = json.path("credentials").get(0);
            assertThat(row.path("in_flight").asInt()).isEqualTo(1);
            assertThat(row.path("model_cooldowns").has("gpt-5-pro")).isTrue();

            assertThat(run(env, "list", "--long")).isZero();
            assertThat(out.lines().findFirst().orElseThrow()).contains("INFLIGHT");
            assertThat(out).containsPattern("solo@x.com .* 1/2 +max_concurrent=2")
                    .containsPattern("    model cooldown: gpt-5-pro until ");
            JsonNode listed = new ObjectMapper().readTree(run(env, "list", "--json") == 0 ? out : "{}");
            assertThat(listed.path("credentials").get(0).path("model_cooldowns").has("gpt-5-pro")).isTrue();
        } finally {
            release.countDown();
            app.after();
            upstream.close();
        }
        assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        // No server: what the files and database say, and a note that the live fields are unknown.
        assertThat(run(env, "status")).isZero();
        assertThat(out).contains("    controls: max_concurrent=2").doesNotContain("in flight:")
                .doesNotContain("model cooldown:")
                .contains("(server not running at 127.0.0.1:" + env.get("PROXYGATE_ADDR").split(":")[1]
                        + ": in-flight and model cooldowns unknown)");
        assertThat(run(env, "list", "--long")).isZero();
        assertThat(out).containsPattern("solo@x.com .* \\? +max_concurrent=2")
                .contains("in-flight and model cooldowns unknown");
        JsonNode offline = new ObjectMapper().readTree(run(env, "status", "--json") == 0 ? out : "{}");
        assertThat(offline.path("server_running").asBoolean(true)).isFalse();
        assertThat(offline.path("credentials").get(0).has("in_flight")).isFalse();
    }

    /**
     * While the server is down any local user can bind its port. The CLI asks the listener to prove it holds the
     * admin token before sending it, so a squatter that cannot sees requests, but never the token.
     */
    @Test
    void aListenerThatCannotProveItHoldsTheAdminTokenIsNeverSentIt() throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        String token = "squatted-admin-token-0123456789abcdef";
        Files.writeString(data.resolve(".admin_token"), token);
        Files.writeString(data.resolve(".cli_identity"), "identity-key-of-the-real-server");
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer squatter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        squatter.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders());
            byte[] reply = "{\"proof\":\"0000\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        squatter.start();
        try {
            PoolFiles.key(root.resolve("pool"), "openai-1", "openai", "sk-test-squatter");
            Map<String, String> env = Map.of("PROXYGATE_DATA_DIR", data.toString(),
                    "PROXYGATE_POOL_DIR", root.resolve("pool").toString(),
                    "PROXYGATE_ADDR", "127.0.0.1:" + squatter.getAddress().getPort());
            assertThat(run(env, "status")).isZero();
            assertThat(out).contains("could not prove it is this ProxyGate");
            assertThat(run(env, "client-key", "create", "--name", "laptop")).isZero();
        } finally {
            squatter.stop(0);
        }
        assertThat(seen).isNotEmpty().allSatisfy(request -> assertThat(request).startsWith("GET /admin/ui/identity?")
                .doesNotContain(token));
    }

    private static HttpRequest request(DropwizardAppExtension<ProxyGateConfiguration> app, String model) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort() + "/v1/responses"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"hi\"}")).build();
    }

    private static HttpResponse<String> responses(HttpClient http, DropwizardAppExtension<ProxyGateConfiguration> app,
                                                  String model) throws Exception {
        return http.send(request(app, model), HttpResponse.BodyHandlers.ofString());
    }

    private int run(Map<String, String> env, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int status = ProxyGateCli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), env);
        out = o.toString(StandardCharsets.UTF_8);
        return status;
    }
}
