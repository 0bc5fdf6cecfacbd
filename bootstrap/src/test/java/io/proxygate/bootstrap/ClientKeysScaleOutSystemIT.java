package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.Closeables;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.TestPostgres;
import io.proxygate.bootstrap.support.TwoInstances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on one PostgreSQL database: a client key created on one works on the other, the spend one instance
 * saw counts against the budget on the other, and a key revoked on one is refused by the other within
 * {@code [database] sync_interval}.
 */
class ClientKeysScaleOutSystemIT {
    private static final String ADMIN = "scale-out-client-keys-admin";
    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static MockUpstream upstream;
    private static TwoInstances instances;

    @BeforeAll
    static void start() throws Exception {
        String database = TestPostgres.freshSchemaUrl();
        upstream = new MockUpstream();
        upstream.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.chatJson("ok")));
        Path root = Files.createTempDirectory("proxygate-client-keys-scale-out");
        Path pool = root.resolve("shared-pool");
        PoolFiles.key(pool, "k1", "openai", "sk-test-key-one");
        instances = TwoInstances.start(root, pool, database, Map.of(
                "PROXYGATE_ADMIN_TOKEN", ADMIN,
                "PROXYGATE_CHAT_BASE_URL", upstream.url() + "/v1/chat/completions"));
    }

    @AfterAll
    static void stop() throws Exception {
        Closeables.closeAll(instances, upstream);
    }

    @Test
    void keysRevocationsAndSpendAreSharedAcrossInstances() throws Exception {
        // One gpt-4o reply costs about $0.0000675: after one request, a $0.00005 budget is spent everywhere.
        HttpResponse<String> created = admin(instances.first, "POST", "/admin/client-keys",
                "{\"name\":\"shared\",\"daily_budget_usd\":0.00005}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = new ObjectMapper().readTree(created.body());
        String secret = key.path("key").asText();
        String id = key.path("id").asText();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(chat(instances.second, null).statusCode()).as("the second instance knows keys exist").isEqualTo(401));
        assertThat(chat(instances.second, secret).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> refused = chat(instances.first, secret);
            assertThat(refused.statusCode()).as("the second instance's spend counts on the first").isEqualTo(429);
            assertThat(refused.body()).contains("daily budget");
        });

        assertThat(admin(instances.second, "PATCH", "/admin/client-keys/" + id, "{\"daily_budget_usd\":null}").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(chat(instances.first, secret).statusCode()).isEqualTo(200));
        assertThat(admin(instances.first, "POST", "/admin/client-keys/" + id + "/revoke", null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(chat(instances.second, secret).statusCode()).as("revoked everywhere").isEqualTo(401));
        HttpResponse<String> listed = admin(instances.second, "GET", "/admin/client-keys", null);
        JsonNode shared = new ObjectMapper().readTree(listed.body()).path("client_keys").get(0);
        assertThat(shared.path("state").asText()).isEqualTo("revoked");
        // Both instances' requests, from the one request log (the first may have served one more before it synced).
        assertThat(shared.path("today").path("requests").asLong()).isGreaterThanOrEqualTo(2);
    }

    private static HttpResponse<String> chat(DropwizardAppExtension<ProxyGateConfiguration> app, String key)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort()
                + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> admin(DropwizardAppExtension<ProxyGateConfiguration> app, String method,
                                              String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort() + path))
                .header("X-Admin-Token", ADMIN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
