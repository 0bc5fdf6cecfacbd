package io.proxygate.bootstrap;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Listening beyond loopback with no proxy token configured: the pool is not left open to the network. */
class GeneratedProxyTokenSystemIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aNonLoopbackListenerGetsAGeneratedProxyTokenKeptPrivatelyInTheDataDir(@TempDir Path root) throws Exception {
        try (MockUpstream upstream = new MockUpstream()) {
            upstream.on("POST", "/v1/chat/completions", (r, ex) -> MockUpstream.json(ex, 200, UpstreamReplies.chatJson("hi")));
            PoolFiles.key(root.resolve("pool"), "openai-1", "openai", "sk-test-openai-key");
            Map<String, String> env = Map.of("PROXYGATE_ADDR", "0.0.0.0:0",
                    "PROXYGATE_UPSTREAM_OPENAI_BASE_URL", upstream.url() + "/v1");
            String first = startAndCheck(ProxyGateRunner.config(root, env), root);
            // A restart keeps the same token: clients configured once keep working.
            String second = startAndCheck(ProxyGateRunner.config(root, env), root);
            assertThat(second).isEqualTo(first);
        }
    }

    private String startAndCheck(ProxyGateConfiguration config, Path root) throws Exception {
        DropwizardTestSupport<ProxyGateConfiguration> app =
                new DropwizardTestSupport<>(ProxyGateApplication.class, config);
        app.before();
        try {
            Path file = root.resolve("data").resolve(".proxy_token");
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            String token = Files.readString(file).trim();
            assertThat(token).hasSizeGreaterThan(40);
            String url = "http://127.0.0.1:" + app.getLocalPort() + "/v1/chat/completions";
            String body = "{\"model\":\"gpt-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            assertThat(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(http.send(request.header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            return token;
        } finally {
            app.after();
        }
    }
}
