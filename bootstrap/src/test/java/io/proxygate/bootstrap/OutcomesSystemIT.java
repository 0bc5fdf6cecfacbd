package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.AppRequests;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who gets blamed for a failure, end to end: side calls never take accounts out, an edge 403 is not a dead
 * account, and a deleted key can be restored and serves again. Pool: ChatGPT accounts "alpha" and "beta", one
 * OpenAI key.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OutcomesSystemIT {
    private static final String ADMIN_TOKEN = "pg-admin-outcomes-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MockUpstream UPSTREAM = start();
    private static final Path ROOT;
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        ROOT = PoolFiles.tempRoot("proxygate-outcomes", pool -> {
            PoolFiles.alphaAndBeta(pool);
            PoolFiles.key(pool, "openai-1", "openai", "sk-test-outcomes-key");
        });
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(ROOT, ProxyGateRunner.upstreamsAt(UPSTREAM.url(),
                Map.of("PROXYGATE_ADMIN_TOKEN", ADMIN_TOKEN,
                        "PROXYGATE_OAUTH_OPENAI_ISSUER", UPSTREAM.url()))));
    }

    private final AppRequests app = new AppRequests(APP::getLocalPort, () -> ADMIN_TOKEN);

    private static MockUpstream start() {
        MockUpstream mock = ProxyGateRunner.upstreamWithEmptyUsage();
        // A refresh after a passthrough 401 fails: the grant is gone. Still no account may be marked.
        mock.on("POST", "/oauth/token", (r, ex) -> MockUpstream.json(ex, 400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"Refresh token expired\"}"));
        return mock;
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private Wiring wiring() {
        return ((ProxyGateApplication) APP.getApplication()).wiring();
    }

    private List<CredentialStatus> statuses() {
        return wiring().router().statuses();
    }

    @Test
    void failingPassthroughAndModelCallsLeaveEveryAccountRoutable() throws Exception {
        // Other tests here may have cooled an account on purpose: the point is that side calls change nothing.
        Map<String, String> before = routingState();
        int[] statuses = {403, 401, 429, 500, 503};
        for (int status : statuses) {
            String body = "{\"detail\":\"upstream says " + status + "\"}";
            UPSTREAM.on("GET", "/backend-api/wham/tasks", (r, ex) -> MockUpstream.json(ex, status, body));
            UPSTREAM.on("GET", "/backend-api/codex/models", (r, ex) -> MockUpstream.json(ex, status, body));
            for (String path : List.of("/backend-api/wham/tasks", "/v1/models")) {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = app.send("GET", path, null);
                    assertThat(r.statusCode()).as(path + " relays " + status).isEqualTo(status);
                    assertThat(r.body()).as(path).isEqualTo(body);
                }
            }
        }
        assertThat(routingState()).isEqualTo(before);
        assertThat(statuses()).filteredOn(s -> s.id().value().startsWith("chatgpt:")).hasSize(2)
                .allSatisfy(s -> assertThat(s.needsLoginReason()).as(s.id().value()).isEmpty());
        assertThat(UPSTREAM.requests("/backend-api/codex/models")).hasSizeGreaterThanOrEqualTo(statuses.length * 3);
    }

    /** Needs-login marks and cooldowns of every credential, as text to compare. */
    private Map<String, String> routingState() {
        Map<String, String> state = new java.util.TreeMap<>();
        statuses().forEach(s -> state.put(s.id().value(), s.needsLoginReason().orElse("-") + " "
                + s.cooldownUntil().map(Instant::toString).orElse("-") + " " + s.cooldownReason().orElse("-")));
        return state;
    }

    @Test
    void anHtml403FromTheEdgeIsRelayedAndTheAccountIsNotMarkedNeedingLogin() throws Exception {
        String page = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>challenge</body></html>";
        UPSTREAM.on("POST", "/backend-api/codex/responses", (r, ex) -> {
            byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=UTF-8");
            ex.getResponseHeaders().set("cf-mitigated", "challenge");
            ex.sendResponseHeaders(403, bytes.length);
            ex.getResponseBody().write(bytes);
        });
        HttpResponse<String> r = app.send("POST", "/v1/responses", "{\"model\":\"gpt-5\",\"input\":\"hi\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo(page);

        CredentialStatus refused = statuses().stream().filter(s -> s.cooldownReason().orElse("").equals("edge 403"))
                .findFirst().orElseThrow();
        assertThat(refused.needsLoginReason()).isEmpty();
        assertThat(refused.cooldownUntil()).hasValueSatisfying(t ->
                assertThat(t).isBefore(Instant.now().plus(Duration.ofSeconds(31))));
        assertThat(statuses()).allSatisfy(s -> assertThat(s.needsLoginReason()).isEmpty());
        JsonNode accounts = JSON.readTree(app.send("GET", "/admin/accounts", null).body());
        assertThat(accounts.findValuesAsText("dead")).containsOnly("false");

        // The pool keeps serving: the next request goes to the other account.
        UPSTREAM.on("POST", "/backend-api/codex/responses", (r2, ex) -> UpstreamReplies.responsesStream(ex, "resp_ok", "ok"));
        HttpResponse<String> next = app.send("POST", "/v1/responses", "{\"model\":\"gpt-5\",\"input\":\"hi\"}");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).contains("resp_ok");
    }

    @Test
    void aDeletedKeyIsRestoredFromTheDeletedFolderAndServesAgain() throws Exception {
        UPSTREAM.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.chatJson("ok")));
        String chat = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(app.send("POST", "/v1/chat/completions", chat).statusCode()).isEqualTo(200);
        Path keyFile = ROOT.resolve("pool/apikeys/openai-1.json");
        String original = Files.readString(keyFile);

        JsonNode removed = JSON.readTree(app.send("DELETE", "/admin/keys/openai-1", null).body());
        assertThat(removed.path("removed").asBoolean()).isTrue();
        String name = removed.path("deleted_as").asText();
        assertThat(name).startsWith("apikeys.openai-1.").endsWith(".json");
        Path kept = ROOT.resolve("pool/.deleted").resolve(name);
        assertThat(keyFile).doesNotExist();
        assertThat(Files.readString(kept)).isEqualTo(original);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept.getParent())))
                .isEqualTo("rwx------");
        HttpResponse<String> none = app.send("POST", "/v1/chat/completions", chat);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("No OpenAI API keys configured.");

        JsonNode listed = JSON.readTree(app.send("GET", "/admin/deleted", null).body());
        assertThat(listed.findValuesAsText("name")).contains(name);
        assertThat(listed.toString()).doesNotContain("sk-test-outcomes-key");

        // A file of the same name came back meanwhile: restoring must not replace it.
        Files.writeString(keyFile, "{\"id\":\"openai-1\",\"type\":\"openai\",\"api_key\":\"sk-test-newer\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> app.send("POST", "/v1/chat/completions", chat).statusCode() == 200);
        assertThat(app.send("POST", "/admin/deleted/" + name + "/restore", null).statusCode()).isEqualTo(409);
        assertThat(Files.readString(keyFile)).contains("sk-test-newer");
        Files.delete(keyFile);
        await().atMost(Duration.ofSeconds(5)).until(() -> app.send("POST", "/v1/chat/completions", chat).statusCode() == 401);

        HttpResponse<String> restored = app.send("POST", "/admin/deleted/" + name + "/restore", null);
        assertThat(restored.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(restored.body()).path("credential").path("id").asText()).isEqualTo("openai-1");
        assertThat(Files.readString(keyFile)).isEqualTo(original);
        assertThat(kept).doesNotExist();
        HttpResponse<String> served = app.send("POST", "/v1/chat/completions", chat);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(UPSTREAM.requests("/v1/chat/completions").getLast().header("Authorization"))
                .isEqualTo("Bearer sk-test-outcomes-key");
    }
}
