package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import io.proxygate.testsupport.SmallDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The data directory on a small tmpfs that fills up: the server starts anyway, serves, says "disk full at ..." on
 * /healthz and the admin health check, keeps the rows in memory, and writes them once space returns.
 */
class FullDiskSystemIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 30;

    @TempDir
    Path root;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aFullDiskIsAnAlarmNotASecretAndNoRowIsLost() throws Exception {
        try (MockUpstream upstream = new MockUpstream();
             SmallDisk disk = SmallDisk.mount(root.resolve("data"), 4L * 1024 * 1024)) {
            upstream.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200,
                    "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":[],"
                            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}"));
            PoolFiles.key(root.resolve("pool"), "openai-1", "openai", "sk-test-full-disk");
            ProxyGateConfiguration config = ProxyGateRunner.config(root, Map.of(
                    "PROXYGATE_UPSTREAM_OPENAI_BASE_URL", upstream.url() + "/v1"));
            // First start creates the database and the admin token while there is room.
            DropwizardTestSupport<ProxyGateConfiguration> first = new DropwizardTestSupport<>(
                    ProxyGateApplication.class, config);
            first.before();
            first.after();

            disk.fill();
            DropwizardTestSupport<ProxyGateConfiguration> app = new DropwizardTestSupport<>(
                    ProxyGateApplication.class, ProxyGateRunner.config(root, Map.of(
                    "PROXYGATE_UPSTREAM_OPENAI_BASE_URL", upstream.url() + "/v1")));
            app.before();
            try {
                // Started on the space its reserve gave back; now the disk fills up again.
                disk.fill();
                for (int i = 0; i < REQUESTS; i++) {
                    HttpResponse<String> r = post(app.getLocalPort());
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                }
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    JsonNode health = JSON.readTree(get(app.getLocalPort(), "/healthz"));
                    assertThat(health.path("status").asText()).isEqualTo("degraded");
                    assertThat(health.path("degraded_reasons").get(0).asText()).startsWith("disk")
                            .contains(disk.path().toString());
                });
                HttpResponse<String> check = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + app.getAdminPort() + "/healthcheck")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(check.statusCode()).isEqualTo(500);
                assertThat(check.body()).contains("request_log").contains("disk");

                disk.free();
                Wiring wiring = ((ProxyGateApplication) app.getApplication()).wiring();
                await().atMost(Duration.ofSeconds(10)).until(() -> wiring.requestLog().problem().isEmpty());
                assertThat(JSON.readTree(get(app.getLocalPort(), "/healthz")).path("status").asText()).isEqualTo("ok");
                assertThat(wiring.requestLog().recent(100)).hasSize(REQUESTS);
                assertThat(wiring.requestLog().droppedCount()).isZero();
            } finally {
                app.after();
            }
        }
    }

    private HttpResponse<String> post(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
