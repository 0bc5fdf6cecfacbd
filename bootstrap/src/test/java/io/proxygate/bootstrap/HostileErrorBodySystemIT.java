package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Upstream error bodies with messages of 4 KiB and more (which once overflowed the stack of a regex and reached the
 * client as Jetty's HTML 500): a 429 fails over to the next credential with the first one cooling down, a 500 on
 * the only key becomes a 502 in the API's JSON shape, and every request is logged and leaves the live list.
 */
class HostileErrorBodySystemIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BIG = "x\\\"y ".repeat(4 * 1024);
    private static final String MESSAGE = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":5,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aHugeRateLimitMessageFailsOverAndABigServerErrorIsA502InTheApiShape(@TempDir Path root) throws Exception {
        AtomicInteger messages = new AtomicInteger();
        try (MockUpstream upstream = new MockUpstream()) {
            upstream.on("POST", "/v1/messages", (r, ex) -> {
                if (messages.incrementAndGet() == 1) {
                    MockUpstream.json(ex, 429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                            + "\"message\":\"" + BIG + " retry after 7 sec\"}}");
                } else {
                    MockUpstream.json(ex, 200, UpstreamReplies.messageJson("hi"));
                }
            });
            upstream.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 500,
                    "{\"error\":{\"message\":\"" + BIG + "\",\"type\":\"server_error\"}}"));
            PoolFiles.key(root.resolve("pool"), "anthropic-1", "anthropic", "sk-ant-test-one");
            PoolFiles.key(root.resolve("pool"), "anthropic-2", "anthropic", "sk-ant-test-two");
            PoolFiles.key(root.resolve("pool"), "openai-1", "openai", "sk-test-openai");
            ProxyGateConfiguration config = ProxyGateRunner.config(root, Map.of(
                    "PROXYGATE_UPSTREAM_OPENAI_BASE_URL", upstream.url() + "/v1",
                    "PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL", upstream.url()));
            DropwizardTestSupport<ProxyGateConfiguration> app =
                    new DropwizardTestSupport<>(ProxyGateApplication.class, config);
            app.before();
            try {
                String base = "http://127.0.0.1:" + app.getLocalPort();
                HttpResponse<String> failover = post(base + "/v1/messages", MESSAGE);
                assertThat(failover.statusCode()).isEqualTo(200);
                assertThat(messages.get()).as("the 429 was followed by a second attempt").isEqualTo(2);

                HttpResponse<String> broken = post(base + "/v1/chat/completions",
                        "{\"model\":\"gpt-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                // Every key failed for its own reasons: the client hears the pool is exhausted, in the API's shape;
                // the upstream's 4 KiB message, parsed without blowing the stack, goes to the request log only.
                assertThat(broken.statusCode()).isEqualTo(503);
                assertThat(broken.headers().firstValue("Content-Type")).hasValueSatisfying(
                        t -> assertThat(t).startsWith("application/json"));
                assertThat(JSON.readTree(broken.body()).path("error").path("message").asText()).contains("exhausted");
                assertThat(broken.body()).doesNotContain("StackOverflowError").doesNotContain("<html");

                ProxyGateApplication application = app.getApplication();
                await().untilAsserted(() -> assertThat(application.wiring().requestLog().recent(10))
                        .extracting(r -> r.status()).contains(200, 503));
                assertThat(application.wiring().requestLog().recent(10))
                        .filteredOn(r -> r.status() == 503).singleElement()
                        .satisfies(r -> assertThat(r.errorText()).hasValueSatisfying(
                                t -> assertThat(t).contains("x\"y x\"y")));
                // The key that answered 429 cools down (for the delay its 4 KiB message named).
                assertThat(application.wiring().router().statuses())
                        .filteredOn(s -> s.id().value().contains("anthropic") && s.cooldownUntil().isPresent())
                        .singleElement().satisfies(s -> assertThat(s.cooldownUntil().get())
                                .isBefore(java.time.Instant.now().plusSeconds(8)));
            } finally {
                app.after();
            }
        }
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
