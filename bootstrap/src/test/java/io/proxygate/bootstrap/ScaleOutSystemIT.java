package io.proxygate.bootstrap;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.Closeables;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.TestPostgres;
import io.proxygate.bootstrap.support.TwoInstances;
import io.proxygate.domain.credential.CredentialId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
 * Two ProxyGate instances on one PostgreSQL database and one pool directory, as behind a load balancer: a
 * conversation keeps its account whichever instance takes it, a 429 one instance saw keeps the other away from
 * that credential, and both write one request log. Pool: ChatGPT accounts "alpha" (pro, preferred) and "beta"
 * (plus); OpenAI keys "k1" and "k2".
 */
class ScaleOutSystemIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static MockUpstream upstream;
    private static TwoInstances instances;

    @BeforeAll
    static void start() throws Exception {
        String database = TestPostgres.freshSchemaUrl();
        upstream = new MockUpstream();
        upstream.on("GET", "/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        Path root = Files.createTempDirectory("proxygate-scale-out");
        Path pool = root.resolve("shared-pool");
        PoolFiles.alphaAndBeta(pool);
        PoolFiles.key(pool, "k1", "openai", "sk-test-key-one");
        PoolFiles.key(pool, "k2", "openai", "sk-test-key-two");
        instances = TwoInstances.start(root, pool, database, Map.of(
                "PROXYGATE_UPSTREAM_CHATGPT_BASE_URL", upstream.url() + "/backend-api",
                "PROXYGATE_UPSTREAM_OPENAI_BASE_URL", upstream.url() + "/v1",
                "PROXYGATE_CHATGPT_USAGE_URL", upstream.url() + "/wham/usage"));
    }

    @AfterAll
    static void stop() throws Exception {
        Closeables.closeAll(instances, upstream);
    }

    @Test
    void aConversationKeepsItsAccountWhicheverInstanceTakesIt() throws Exception {
        // Alpha refuses once (for a second), so the first instance pins the conversation to beta.
        java.util.concurrent.atomic.AtomicBoolean alphaRefused = new java.util.concurrent.atomic.AtomicBoolean();
        upstream.on("POST", "/backend-api/codex/responses", (r, ex) -> {
            String account = r.header("ChatGPT-Account-Id");
            if ("acc-alpha".equals(account) && alphaRefused.compareAndSet(false, true)) {
                ex.getResponseHeaders().set("retry-after", "1");
                MockUpstream.json(ex, 429, "{\"error\":{\"message\":\"slow down\"}}");
            } else {
                UpstreamReplies.responsesStream(ex, "resp_from_" + account + "_" + System.nanoTime(), "hello");
            }
        });
        String conversation = "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\",\"prompt_cache_key\":\"chat-42\"}";

        assertThat(post(instances.first, "/v1/responses", conversation).body()).contains("resp_from_acc-beta");
        await().atMost(Duration.ofSeconds(15)).until(() -> !cooling(instances.second, CredentialId.chatgpt("alpha@x.com"))
                && !cooling(instances.first, CredentialId.chatgpt("alpha@x.com")));
        // Left to itself, the second instance prefers alpha...
        assertThat(post(instances.second, "/v1/responses", "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}").body())
                .contains("resp_from_acc-alpha");

        // ...but the conversation stays where the first instance put it.
        assertThat(post(instances.second, "/v1/responses", conversation).body()).contains("resp_from_acc-beta");
        assertThat(post(instances.first, "/v1/responses", conversation).body()).contains("resp_from_acc-beta");
        assertThat(post(instances.second, "/v1/responses", conversation).body()).contains("resp_from_acc-beta");
    }

    @Test
    void aRateLimitSeenByOneInstanceKeepsTheOtherAwayAndBothLogToOneTable() throws Exception {
        upstream.on("POST", "/v1/chat/completions", (r, ex) -> {
            if ("Bearer sk-test-key-one".equals(r.header("Authorization"))) {
                ex.getResponseHeaders().set("retry-after", "600");
                MockUpstream.json(ex, 429, "{\"error\":{\"message\":\"slow down\"}}");
            } else {
                MockUpstream.json(ex, 200, UpstreamReplies.chatJson("hello"));
            }
        });
        String chat = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        assertThat(post(instances.first, "/v1/chat/completions", chat).statusCode()).isEqualTo(200);
        assertThat(keyOneCalls()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(15)).until(() -> cooling(instances.second, CredentialId.apiKey("k1")));

        HttpResponse<String> fromSecond = post(instances.second, "/v1/chat/completions", chat);

        assertThat(fromSecond.statusCode()).isEqualTo(200);
        assertThat(keyOneCalls()).as("the second instance never tried the key the first saw refused").isEqualTo(1);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                wiring(instances.first).requestLog().recent(100)
                .stream().filter(r -> r.route().equals("/v1/chat/completions") && r.status() == 200)
                .map(RequestRecord::requestId).distinct().count()).isEqualTo(2));
    }

    private static long keyOneCalls() {
        return upstream.requests("/v1/chat/completions").stream()
                .filter(r -> "Bearer sk-test-key-one".equals(r.header("Authorization"))).count();
    }

    private static boolean cooling(DropwizardAppExtension<ProxyGateConfiguration> app, CredentialId id) {
        return wiring(app).router().statuses().stream().filter(s -> s.id().equals(id))
                .map(CredentialStatus::cooldownUntil).findFirst().orElseThrow().isPresent();
    }

    private static Wiring wiring(DropwizardAppExtension<ProxyGateConfiguration> app) {
        return ((ProxyGateApplication) app.getApplication()).wiring();
    }

    private static HttpResponse<String> post(DropwizardAppExtension<ProxyGateConfiguration> app, String path,
                                             String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                        .build(), HttpResponse.BodyHandlers.ofString());
    }
}
