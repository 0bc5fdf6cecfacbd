package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.testsupport.UpstreamReplies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ChatGPT passthrough carries the pooled accounts' own site (conversations, settings), so a client key reaches
 * it only when its routes name {@code passthrough}; the Codex model API under it keeps the key's model rules.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ClientKeyPassthroughSystemIT {
    private static final String ADMIN = "passthrough-admin-token";
    private static final MockUpstream UPSTREAM = start();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP = app();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private static MockUpstream start() {
        MockUpstream mock = ProxyGateRunner.upstreamWithEmptyUsage();
        mock.on("GET", "/backend-api/conversations", (r, ex) -> MockUpstream.json(ex, 200, "{\"items\":[]}"));
        mock.on("POST", "/backend-api/codex/responses",
                (r, ex) -> UpstreamReplies.responsesStream(ex, "resp_1", "ok"));
        return mock;
    }

    private static DropwizardAppExtension<ProxyGateConfiguration> app() {
        var root = PoolFiles.tempRoot("proxygate-key-passthrough",
                pool -> PoolFiles.chatgpt(pool, "solo@x.com", "acc-solo", "pro"));
        return ProxyGateRunner.extension(ProxyGateRunner.config(root, ProxyGateRunner.upstreamsAt(UPSTREAM.url(),
                Map.of("PROXYGATE_ADMIN_TOKEN", ADMIN))));
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @Test
    void onlyAKeyNamingPassthroughReachesTheSiteAndItsCodexCallsKeepTheModelRules() throws Exception {
        String plain = create("{\"name\":\"plain\"}");
        String codex = create("{\"name\":\"codex\",\"routes\":[\"passthrough\"],\"models\":[\"gpt-5-mini\"]}");

        HttpResponse<String> refused = send("GET", "/backend-api/conversations", null, plain);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("passthrough route");
        assertThat(send("POST", "/backend-api/codex/responses", body("gpt-5-mini"), plain).statusCode())
                .isEqualTo(403);

        assertThat(send("GET", "/backend-api/conversations", null, codex).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/backend-api/codex/responses", body("gpt-5-mini"), codex).statusCode())
                .isEqualTo(200);
        HttpResponse<String> otherModel = send("POST", "/backend-api/codex/responses", body("gpt-5-pro"), codex);
        assertThat(otherModel.statusCode()).isEqualTo(403);
        assertThat(otherModel.body()).contains("gpt-5-pro");
        assertThat(send("POST", "/backend-api/codex/responses", "{\"stream\":true,\"input\":\"hi\"}", codex)
                .statusCode()).as("no model named").isEqualTo(403);
        // However the path is spelled, a body naming a model is judged by the key's model rules.
        for (String path : List.of("/backend-api/codex/respons%65s", "/backend-api/codex/responses/",
                "/backend-api/Codex/Responses", "/backend-api/anything")) {
            HttpResponse<String> r = send("POST", path, body("gpt-5-pro"), codex);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(403);
        }
        HttpResponse<String> twice = send("POST", "/v1/responses",
                "{\"model\":\"gpt-5-mini\",\"model\":\"gpt-5-pro\",\"input\":\"hi\"}", codex);
        assertThat(twice.statusCode()).as(twice.body()).isEqualTo(400);
        assertThat(twice.body()).contains("appears twice");
    }

    private static String body(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"hi\"}";
    }

    private String create(String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/admin/client-keys"))
                .header("X-Admin-Token", ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json.readTree(r.body()).path("key").asText();
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + APP.getLocalPort() + path);
    }
}
