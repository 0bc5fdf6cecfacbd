package io.proxygate.bootstrap;

import io.dropwizard.testing.DropwizardTestSupport;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.FaultyUpstream;
import io.proxygate.bootstrap.support.FaultyUpstream.Behaviour;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator's bad day against a fault-injecting upstream: clients that leave before the first byte, an upstream
 * too slow for the overall deadline, streams cut without framing, quiet and endless streams.
 */
class ReliabilitySystemIT {
    @TempDir
    Path root;

    private FaultyUpstream upstream;
    private DropwizardTestSupport<ProxyGateConfiguration> app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = new FaultyUpstream();
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.after();
        }
        upstream.close();
    }

    private void startProxy(int keys, Map<String, String> env) throws Exception {
        for (int i = 1; i <= keys; i++) {
            PoolFiles.key(root.resolve("pool"), "openai-" + i, "openai", "sk-test-reliability-" + i);
        }
        Map<String, String> all = new HashMap<>(Map.of(
                "PROXYGATE_UPSTREAM_OPENAI_BASE_URL", upstream.url() + "/v1",
                "PROXYGATE_UPSTREAM_CONNECT_TIMEOUT", "1s"));
        all.putAll(env);
        app = new DropwizardTestSupport<>(ProxyGateApplication.class, ProxyGateRunner.config(root, all));
        app.before();
    }

    private Wiring wiring() {
        return ((ProxyGateApplication) app.getApplication()).wiring();
    }

    private RequestRecord onlyRow() {
        await().atMost(Duration.ofSeconds(5)).until(() -> wiring().requestLog().recent(10).size() == 1);
        return wiring().requestLog().recent(10).get(0);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientLeavingBeforeTheFirstByteCancelsTheAttemptsWithoutMarkingTheCredential() throws Exception {
        upstream.behave(Behaviour.NEVER_ANSWERS);
        startProxy(2, Map.of("PROXYGATE_UPSTREAM_RESPONSE_TIMEOUT", "2s"));
        String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket client = new Socket("127.0.0.1", app.getLocalPort())) {
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> upstream.requestsReceived() == 1);
        }
        long left = System.nanoTime();
        // The attempt ends for the client's sake (a row says so), well before the 2 s response timeout.
        RequestRecord row = onlyRow();
        assertThat(Duration.ofNanos(System.nanoTime() - left)).isLessThan(Duration.ofMillis(1_900));
        assertThat(row.errorClass()).contains("client_disconnected");
        assertThat(row.status()).isEqualTo(499);
        // Past the response timeout no second credential was tried for a client that is gone, and none was marked.
        await().pollDelay(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertThat(upstream.requestsReceived()).isEqualTo(1);
        List<CredentialStatus> statuses = wiring().router().statuses();
        assertThat(statuses).allSatisfy(s -> {
            assertThat(s.cooldownUntil()).isEmpty();
            assertThat(s.inFlight()).isZero();
        });
        assertThat(wiring().requestLog().recent(10)).hasSize(1);
    }

    @Test
    void theWholeAttemptSequenceEndsByTheOverallDeadline() throws Exception {
        upstream.behave(Behaviour.NEVER_ANSWERS);
        // Three keys, each allowed 1.5 s for its headers: 4.5 s of attempts, but the client is owed an answer at 2 s.
        startProxy(3, Map.of("PROXYGATE_UPSTREAM_RESPONSE_TIMEOUT", "1500ms",
                "PROXYGATE_UPSTREAM_ATTEMPT_DEADLINE", "2s"));
        long start = System.nanoTime();
        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.statusCode()).isIn(502, 504);
        assertThat(r.body()).contains("\"error\"");
        assertThat(took).isLessThan(Duration.ofMillis(2_800));
        assertThat(onlyRow().status()).isIn(502, 504);
    }

    private static final String STREAM_BODY = "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}";

    /** The stream's last event is a Responses API error event. */
    private static void assertErrorEventLast(String body) {
        String[] events = body.strip().split("\n\n");
        assertThat(events[events.length - 1]).as(body).startsWith("event: error\ndata: ");
    }

    @Test
    void anUnframedStreamCutBeforeItsEndIsAnErrorToTheClientAndInTheLog() throws Exception {
        upstream.behave(Behaviour.UNFRAMED_CUT);
        startProxy(1, Map.of());
        HttpResponse<String> r = post("/v1/responses", STREAM_BODY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("resp_unframed");
        assertErrorEventLast(r.body());
        RequestRecord row = onlyRow();
        assertThat(row.errorClass()).contains("upstream_reset");
        assertThat(row.success()).isFalse();
    }

    @Test
    void aDrippingStreamIsEndedByMaxStreamDurationAndThePoolGaugesShowItsConnection() throws Exception {
        upstream.behave(Behaviour.DRIPPING_STREAM);
        startProxy(1, Map.of("PROXYGATE_UPSTREAM_MAX_STREAM_DURATION", "1500ms"));
        var pending = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort()
                        + "/v1/responses")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.requestsReceived() == 1);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getAdminPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        com.fasterxml.jackson.databind.JsonNode gauges = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(metrics).path("gauges");
        assertThat(gauges.path("proxygate.upstream.pool.leased").path("value").asInt()).isEqualTo(1);
        assertThat(gauges.has("proxygate.upstream.pool.available")).isTrue();
        assertThat(gauges.has("proxygate.upstream.pool.pending")).isTrue();

        HttpResponse<String> r = pending.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.body()).contains("response.output_text.delta");
        assertErrorEventLast(r.body());
        assertThat(onlyRow().errorClass()).contains("max_stream_duration");
    }

    @Test
    void aClientLeavingAQuietStreamIsNoticedByTheKeepAliveComment() throws Exception {
        upstream.behave(Behaviour.STALLS_AFTER_FIRST_EVENT);
        startProxy(1, Map.of("PROXYGATE_UPSTREAM_IDLE_TIMEOUT", "60s",
                "PROXYGATE_UPSTREAM_KEEPALIVE_INTERVAL", "200ms"));
        try (Socket client = new Socket("127.0.0.1", app.getLocalPort())) {
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + STREAM_BODY.length() + "\r\n\r\n" + STREAM_BODY)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            java.io.InputStream in = client.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buf = new byte[4096];
            while (!seen.toString().contains(": keep-alive")) {
                int n = in.read(buf);
                assertThat(n).as("stream ended early: " + seen).isPositive();
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(seen.toString()).contains("response.created");
        }
        // The upstream stays silent: only the keep-alive write can tell that the client left.
        RequestRecord row = onlyRow();
        assertThat(row.errorClass()).contains("client_disconnected");
        await().atMost(Duration.ofSeconds(30)).until(() -> upstream.openConnections() == 0);
    }
}
