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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gates' request-then-read sequences, 20 times in a row with no pause: once a client has the whole reply (or,
 * for a stream, its final event), {@code /admin/accounts}, {@code /admin/keys}, {@code /admin/usage} and
 * {@code /healthz} already count it. Configured as the gates configure it (full upstream URLs).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReadYourWritesSystemIT {
    private static final int ROUNDS = 20;
    private static final String TOKEN = "read-your-writes-token";
    private static final MockUpstream UPSTREAM = start();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP = app();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private static MockUpstream start() {
        MockUpstream mock = MockUpstream.started();
        mock.on("POST", "/responses", (r, ex) -> UpstreamReplies.responsesStream(ex, "resp_rw", "PHASE_1_PASS"));
        mock.on("POST", "/v1/chat/completions", (r, ex) -> {
            if (r.body().contains("\"stream\":true")) {
                UpstreamReplies.chatStream(ex, "ok");
            } else {
                MockUpstream.json(ex, 200, UpstreamReplies.chatJson("ok"));
            }
        });
        mock.on("POST", "/v1/messages", (r, ex) -> UpstreamReplies.messagesStream(ex, "ok"));
        mock.on("GET", "/backend-api/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        return mock;
    }

    private static DropwizardAppExtension<ProxyGateConfiguration> app() {
        Path root = PoolFiles.tempRoot("proxygate-read-your-writes", pool -> {
            PoolFiles.chatgpt(pool, "test@example.com", "acc-gate", "pro");
            PoolFiles.key(pool, "openai-1", "openai", "sk-test-key-123");
            PoolFiles.key(pool, "anthropic-1", "anthropic", "sk-ant-test-key");
        });
        return ProxyGateRunner.extension(ProxyGateRunner.config(root,
                ProxyGateRunner.fullUpstreamUrlsAt(UPSTREAM.url(), Map.of("PROXYGATE_ADMIN_TOKEN", TOKEN))));
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @Test
    void accountCountersCountEachReplyTheMomentTheClientHasIt() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            // Phase 1's sequence, with a JSON reply: the client has the whole body.
            HttpResponse<String> reply = post("/v1/responses", "{\"model\":\"gpt-5\",\"input\":\"hi\"}");
            assertThat(reply.body()).contains("PHASE_1_PASS");
            assertAccountCounted(2 * round - 1);

            // Streamed: read up to the final event only, then read the counters before the stream is even closed.
            try (BufferedReader events = stream("/v1/responses",
                    "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}")) {
                readUntil(events, "response.completed");
                assertAccountCounted(2 * round);
            }
        }
    }

    @Test
    void keyCountersCountEachReplyTheMomentTheClientHasIt() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            // Phase 3's sequence: a key serves, /admin/keys is read at once.
            post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertKeyCounted("openai-1", 2 * round - 1, 15, 3);

            HttpResponse<String> streamed = post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"stream\":true,"
                    + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(streamed.body()).contains("[DONE]");
            assertKeyCounted("openai-1", 2 * round, 15, 3);

            try (BufferedReader events = stream("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"stream\":true,"
                    + "\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
                readUntil(events, "message_stop");
                assertKeyCounted("anthropic-1", round, 12, 8);
            }
        }
    }

    private void assertAccountCounted(long requests) throws Exception {
        JsonNode account = only(get("/admin/accounts"), "email", "test@example.com");
        assertThat(account.path("total_requests").asLong()).as("total_requests").isEqualTo(requests);
        assertThat(account.path("total_input_tokens").asLong()).isEqualTo(100 * requests);
        assertThat(account.path("total_output_tokens").asLong()).isEqualTo(25 * requests);
        JsonNode usage = get("/admin/usage").path("by_account").path("test@example.com");
        assertThat(usage.path("requests").asLong()).as("/admin/usage requests").isEqualTo(requests);
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(125 * requests);
        assertHealthy();
    }

    private void assertKeyCounted(String id, long requests, long input, long output) throws Exception {
        JsonNode key = only(get("/admin/keys"), "id", id);
        assertThat(key.path("total_requests").asLong()).as("total_requests of " + id).isEqualTo(requests);
        assertThat(key.path("total_input_tokens").asLong()).isEqualTo(input * requests);
        assertThat(key.path("total_output_tokens").asLong()).isEqualTo(output * requests);
        assertThat(get("/admin/usage").path("by_key").path(id).path("requests").asLong())
                .as("/admin/usage requests of " + id).isEqualTo(requests);
        assertHealthy();
    }

    private void assertHealthy() throws Exception {
        JsonNode health = get("/healthz");
        assertThat(health.path("ok").asBoolean()).isTrue();
        assertThat(health.path("routable").path("chatgpt_account").asLong()).isEqualTo(1);
    }

    private static JsonNode only(JsonNode list, String field, String value) {
        for (JsonNode item : list) {
            if (value.equals(item.path(field).asText())) {
                return item;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + list);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).header("X-Admin-Token", TOKEN).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return json.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r;
    }

    private BufferedReader stream(String path, String body) throws Exception {
        HttpResponse<InputStream> r = http.send(request(path, body), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    }

    /** Reads up to the end of the event of type {@code type} (its data line and the blank line after it). */
    private static void readUntil(BufferedReader events, String type) throws IOException {
        String line;
        boolean inEvent = false;
        while ((line = events.readLine()) != null) {
            if (line.startsWith("data:") && line.contains("\"type\":\"" + type + "\"")) {
                inEvent = true;
            } else if (inEvent && line.isEmpty()) {
                return;
            }
        }
        throw new AssertionError("the stream ended before " + type);
    }

    private HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + APP.getLocalPort() + path);
    }
}
