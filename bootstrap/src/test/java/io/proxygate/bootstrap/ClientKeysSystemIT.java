package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client keys end to end on a running server with no proxy token: the routes are open until the first key exists,
 * then every request needs a key; each key's model rules, daily budget, rate limit and revocation are enforced in
 * the API's own error shape, and every request-log row names the key it came with.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientKeysSystemIT {
    private static final String ADMIN = "client-keys-admin-token";
    private static final MockUpstream UPSTREAM = start();
    private static Path root;
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP = app();
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private static MockUpstream start() {
        MockUpstream mock = MockUpstream.started();
        mock.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.chatJson("ok")));
        mock.on("POST", "/v1/messages", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.messageJson("ok")));
        return mock;
    }

    private static DropwizardAppExtension<ProxyGateConfiguration> app() {
        root = PoolFiles.tempRoot("proxygate-client-keys", pool -> {
            PoolFiles.key(pool, "openai-1", "openai", "sk-test-key-123");
            PoolFiles.key(pool, "anthropic-1", "anthropic", "sk-ant-test-key");
        });
        return ProxyGateRunner.extension(ProxyGateRunner.config(root,
                ProxyGateRunner.fullUpstreamUrlsAt(UPSTREAM.url(), Map.of("PROXYGATE_ADMIN_TOKEN", ADMIN))));
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @Test
    @Order(1)
    void aTeamKeyIsAttributedLimitedToItsModelsAndBudgetAndRefusedOnceRevoked() throws Exception {
        assertThat(call("/v1/chat/completions", CHAT, null).statusCode()).as("open before any key").isEqualTo(200);

        // Budget: a gpt-4o reply costs ~$0.0000675, a Sonnet one ~$0.000156; $0.0001 lets both start.
        HttpResponse<String> created = admin("POST", "/admin/client-keys", "{\"name\":\"alice\","
                + "\"models\":[\"claude-sonnet-*\",\"gpt-4o\"],\"daily_budget_usd\":0.0001,"
                + "\"metadata\":{\"team\":\"mobile\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = json.readTree(created.body());
        String secret = key.path("key").asText();
        String id = key.path("id").asText();
        assertThat(secret).startsWith("pgk_").hasSizeGreaterThanOrEqualTo(4 + 22);
        assertThat(key.path("models").toString()).isEqualTo("[\"claude-sonnet-*\",\"gpt-4o\"]");

        HttpResponse<String> anonymous = call("/v1/chat/completions", CHAT, null);
        assertThat(anonymous.statusCode()).as("no key once keys exist").isEqualTo(401);
        assertThat(call("/v1/chat/completions", CHAT, "pgk_not-a-real-key").statusCode()).isEqualTo(401);

        assertThat(call("/v1/chat/completions", CHAT, secret).statusCode()).isEqualTo(200);
        HttpResponse<String> messages = call("/v1/messages", messages("claude-sonnet-4-5"), secret);
        assertThat(messages.statusCode()).as(messages.body()).isEqualTo(200);

        HttpResponse<String> outside = call("/v1/messages", messages("claude-opus-4-1"), secret);
        assertThat(outside.statusCode()).isEqualTo(403);
        JsonNode refusal = json.readTree(outside.body());
        assertThat(refusal.path("type").asText()).isEqualTo("error"); // Anthropic's shape
        assertThat(refusal.path("error").path("type").asText()).isEqualTo("permission_error");
        assertThat(refusal.path("error").path("message").asText()).contains("claude-opus-4-1");

        HttpResponse<String> overBudget = call("/v1/chat/completions", CHAT, secret);
        assertThat(overBudget.statusCode()).isEqualTo(429);
        assertThat(overBudget.body()).contains("daily budget");
        assertThat(Long.parseLong(overBudget.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 86_400L);
        assertThat(json.readTree(overBudget.body()).path("error").path("code").asText())
                .isEqualTo("rate_limit_exceeded"); // OpenAI's shape on the chat route

        JsonNode rows = adminJson("/admin/requests?client_key=" + id);
        assertThat(rows).hasSize(4); // two served, and the model and budget refusals with their reasons
        rows.forEach(r -> assertThat(r.path("client_key").asText()).isEqualTo(id));
        assertThat(rows.findValuesAsText("error_class")).containsExactlyInAnyOrder("client_key_refused",
                "client_key_refused");
        assertThat(rows.findValuesAsText("status")).containsExactlyInAnyOrder("429", "403", "200", "200");
        assertThat(adminJson("/admin/requests?client_key=open")).hasSize(1);

        JsonNode listed = adminJson("/admin/client-keys").path("client_keys").get(0);
        assertThat(listed.path("state").asText()).isEqualTo("over_budget");
        // Refusals included: they are requests the key made (without tokens or cost).
        assertThat(listed.path("today").path("requests").asLong()).isEqualTo(4);
        assertThat(listed.path("today").path("tokens").asLong()).isEqualTo(15 + 3 + 12 + 8);
        assertThat(listed.path("prefix").asText()).isEqualTo(secret.substring(0, 12));
        assertThat(listed.has("key")).isFalse();
        assertThat(listed.toString()).doesNotContain(secret).doesNotContain("hash");
        assertThat(listed.path("metadata").path("team").asText()).isEqualTo("mobile");
        assertThat(adminJson("/admin/stats?group_by=client_key").toString()).contains(id);
        assertThat(adminJson("/admin/usage").path("by_client_key").toString()).contains(id);
        String prometheus = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(prometheus).contains("proxygate_client_key_" + id + "_requests")
                .contains("proxygate_client_key_" + id + "_cost_micro_usd").doesNotContain(secret);

        // Raising the budget lets the key work again; revoking it refuses it at once.
        assertThat(admin("PATCH", "/admin/client-keys/" + id, "{\"daily_budget_usd\":5}").statusCode())
                .isEqualTo(200);
        assertThat(call("/v1/chat/completions", CHAT, secret).statusCode()).isEqualTo(200);
        assertThat(admin("DELETE", "/admin/client-keys/" + id, null).statusCode()).as("delete needs revoke first")
                .isEqualTo(409);
        assertThat(admin("POST", "/admin/client-keys/" + id + "/revoke", null).statusCode()).isEqualTo(200);
        HttpResponse<String> revoked = call("/v1/messages", messages("claude-sonnet-4-5"), secret);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("revoked").contains("authentication_error");

        assertThat(admin("DELETE", "/admin/client-keys/" + id, null).statusCode()).isEqualTo(200);
        assertThat(adminJson("/admin/requests?client_key=" + id)).as("usage history stays").hasSize(5);
    }

    @Test
    @Order(2)
    void rpmAndConcurrencyLimitsAnswer429WithRetryAfter() throws Exception {
        JsonNode key = json.readTree(admin("POST", "/admin/client-keys", "{\"name\":\"script\",\"rpm\":1,"
                + "\"routes\":[\"chat\"]}").body());
        String secret = key.path("key").asText();
        assertThat(call("/v1/chat/completions", CHAT, secret).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = call("/v1/chat/completions", CHAT, secret);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("requests per minute");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        HttpResponse<String> wrongRoute = call("/v1/messages", messages("claude-sonnet-4-5"), secret);
        assertThat(wrongRoute.statusCode()).isEqualTo(403);
        assertThat(wrongRoute.body()).contains("messages route");
    }

    @Test
    @Order(3)
    void theCliCreatesUpdatesAndRevokesKeysWhileTheServerRuns() throws Exception {
        Map<String, String> env = Map.of("PROXYGATE_DATA_DIR", root.resolve("data").toString(),
                "PROXYGATE_POOL_DIR", root.resolve("pool").toString());
        String created = cli(env, 0, "client-key", "create", "--name=ci-bot", "--models=gpt-4o",
                "--daily-budget=3", "--rpm=100", "--expires=30d", "--json");
        JsonNode key = json.readTree(created);
        String secret = key.path("key").asText();
        assertThat(secret).startsWith("pgk_");
        assertThat(key.path("daily_budget_usd").decimalValue()).isEqualByComparingTo("3");

        // The server reads keys again every [database] sync_interval (3 s by default).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(call("/v1/chat/completions", CHAT, secret).statusCode()).isEqualTo(200));
        assertThat(cli(env, 0, "client-key", "list")).contains("ci-bot").contains("active");

        cli(env, 0, "client-key", "update", "ci-bot", "--models=claude-*");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(call("/v1/chat/completions", CHAT, secret).statusCode()).isEqualTo(403));

        assertThat(cli(env, 0, "client-key", "revoke", "ci-bot")).contains("revoked");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(call("/v1/chat/completions", CHAT, secret).statusCode()).isEqualTo(401));
        JsonNode listed = json.readTree(cli(env, 0, "client-key", "list", "--json"));
        assertThat(listed.toString()).doesNotContain(secret);
        cli(env, 1, "client-key", "revoke", "nobody");
    }

    @Test
    @Order(4)
    void namesWithControlCharactersAreRefusedByTheAdminApiAndTheCli() throws Exception {
        HttpResponse<String> forged = admin("POST", "/admin/client-keys",
                "{\"name\":\"bot\\nWARN  forged log line\"}");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(json.readTree(forged.body()).path("error").asText()).contains("control characters");
        String id = json.readTree(admin("POST", "/admin/client-keys", "{\"name\":\"plain\"}").body())
                .path("id").asText();
        assertThat(admin("PATCH", "/admin/client-keys/" + id, "{\"name\":\"pl\\u001b[2Jain\"}").statusCode())
                .isEqualTo(400);
        assertThat(adminJson("/admin/client-keys").toString()).doesNotContain("forged").doesNotContain("\\u001b");

        Map<String, String> env = Map.of("PROXYGATE_DATA_DIR", root.resolve("data").toString(),
                "PROXYGATE_POOL_DIR", root.resolve("pool").toString());
        cli(env, 1, "client-key", "create", "--name=evil\u001b[31mred");
        cli(env, 1, "client-key", "update", "plain", "--name=two\nlines");
        assertThat(cli(env, 0, "client-key", "list")).contains("plain").doesNotContain("evil").doesNotContain("two");
    }

    private static String cli(Map<String, String> env, int expectedStatus, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = io.proxygate.bootstrap.cli.ProxyGateCli.run(args,
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), env);
        assertThat(status).as(String.join(" ", args) + ": " + err).isEqualTo(expectedStatus);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A client that waits for each reply before it sends the next never meets its own max_concurrent of one. */
    @Test
    @Order(5)
    void aSequentialClientNeverTripsAConcurrencyLimitOfOne() throws Exception {
        String secret = json.readTree(admin("POST", "/admin/client-keys", "{\"name\":\"one-at-a-time\","
                + "\"max_concurrent\":1}").body()).path("key").asText();
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = i % 2 == 0 ? call("/v1/chat/completions", CHAT, secret)
                    : call("/v1/messages", messages("claude-sonnet-4-5"), secret);
            assertThat(r.statusCode()).as("request %d: %s", i, r.body()).isEqualTo(200);
        }
    }

    private static String messages(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private HttpResponse<String> call(String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            if (path.contains("messages")) {
                b.header("x-api-key", key);
            } else {
                b.header("Authorization", "Bearer " + key);
            }
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("X-Admin-Token", ADMIN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode adminJson(String path) throws Exception {
        HttpResponse<String> r = admin("GET", path, null);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + APP.getLocalPort() + path);
    }
}
