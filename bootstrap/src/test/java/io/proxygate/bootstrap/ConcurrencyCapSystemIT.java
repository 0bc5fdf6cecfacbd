package io.proxygate.bootstrap;

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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code max_concurrent} and {@code [routing] queue_timeout} end to end, with a mock upstream that holds every
 * request until the test lets it answer. Keys "spread-1" and "spread-2" (cap 1 each) serve the {@code gpt-spread*}
 * models; key "single" (cap 1) serves {@code gpt-queue*}, so requests for it wait in line.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConcurrencyCapSystemIT {
    private static final Semaphore GATE = new Semaphore(0);
    private static final List<String> ARRIVALS = new CopyOnWriteArrayList<>();
    private static final MockUpstream UPSTREAM = mock();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        Path root = PoolFiles.tempRoot("proxygate-caps", pool -> {
            Path keys = pool.resolve("apikeys");
            Files.createDirectories(keys);
            for (String id : List.of("spread-1", "spread-2")) {
                Files.writeString(keys.resolve(id + ".json"), """
                        {"id":"%1$s","type":"openai","api_key":"sk-test-%1$s","max_concurrent":1,
                         "models":["gpt-spread*"]}""".formatted(id));
            }
            Files.writeString(keys.resolve("single.json"), """
                    {"id":"single","type":"openai","api_key":"sk-test-single","max_concurrent":1,
                     "models":["gpt-queue*"]}""");
        });
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, ProxyGateRunner.upstreamsAt(UPSTREAM.url(),
                Map.of("PROXYGATE_ROUTING_QUEUE_TIMEOUT", "30s"))));
    }

    private static MockUpstream mock() {
        MockUpstream mock = MockUpstream.started();
        mock.on("POST", "/v1/responses", (r, ex) -> {
            String marker = r.body().replaceAll("(?s).*\"input\":\"([^\"]*)\".*", "$1");
            ARRIVALS.add(marker + "@" + r.header("Authorization"));
            try {
                if (!GATE.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IOException("test never opened the gate");
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            UpstreamReplies.responsesStream(ex, "resp_" + marker, marker);
        });
        return mock;
    }

    @AfterAll
    static void stop() {
        GATE.release(100);
        UPSTREAM.close();
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private CompletableFuture<HttpResponse<String>> send(String model, String marker) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort()
                        + "/v1/responses")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"stream\":true,\"input\":\"" + marker + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int waiting() {
        return ((ProxyGateApplication) APP.getApplication()).wiring().router().capacityQueue().waiting();
    }

    @Test
    void capOneSpreadsParallelRequestsAndTheLineIsServedInArrivalOrder() throws Exception {
        ARRIVALS.clear();
        // Two at once on two keys capped at one each: one request per key.
        List<CompletableFuture<HttpResponse<String>>> spread = List.of(send("gpt-spread", "s1"),
                send("gpt-spread", "s2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ARRIVALS.size() == 2);
        assertThat(ARRIVALS).extracting(a -> a.substring(a.indexOf('@') + 1))
                .containsExactlyInAnyOrder("Bearer sk-test-spread-1", "Bearer sk-test-spread-2");
        GATE.release(2);
        for (CompletableFuture<HttpResponse<String>> f : spread) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }

        // One key capped at one: q0 holds it, q1..q3 queue up one after another and are served in that order.
        ARRIVALS.clear();
        List<CompletableFuture<HttpResponse<String>>> line = new ArrayList<>();
        line.add(send("gpt-queue", "q0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ARRIVALS.size() == 1);
        for (int i = 1; i <= 3; i++) {
            line.add(send("gpt-queue", "q" + i));
            int expected = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == expected);
        }
        for (int i = 1; i <= 3; i++) {
            GATE.release();
            int arrived = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> ARRIVALS.size() == arrived);
        }
        GATE.release();
        for (CompletableFuture<HttpResponse<String>> f : line) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(ARRIVALS).extracting(a -> a.substring(0, a.indexOf('@')))
                .containsExactly("q0", "q1", "q2", "q3");
        assertThat(ARRIVALS).allMatch(a -> a.endsWith("Bearer sk-test-single"));
    }

    @Test
    void aClientThatLeavesWhileInLineIsLoggedAsGoneNotAsABusyPool() throws Exception {
        int before = ARRIVALS.size();
        CompletableFuture<HttpResponse<String>> holder = send("gpt-queue", "g0");
        await().atMost(Duration.ofSeconds(10)).until(() -> ARRIVALS.size() == before + 1);
        byte[] body = "{\"model\":\"gpt-queue-gone\",\"input\":\"g1\"}".getBytes(StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", APP.getLocalPort())) {
            socket.getOutputStream().write(("POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == 1);
        } // the client goes away while in line
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == 0);
        GATE.release();
        assertThat(holder.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                ((ProxyGateApplication) APP.getApplication()).wiring().requestLog().recent(20))
                .filteredOn(r -> r.model().equals("gpt-queue-gone")).singleElement().satisfies(r -> {
                    assertThat(r.status()).isEqualTo(499);
                    assertThat(r.errorClass()).contains("client_disconnected");
                }));
    }

    @Test
    void aStreamedRequestWaitingInLineHearsSseCommentsThenItsStream() throws Exception {
        int before = ARRIVALS.size();
        CompletableFuture<HttpResponse<String>> holder = send("gpt-queue", "w0");
        await().atMost(Duration.ofSeconds(10)).until(() -> ARRIVALS.size() == before + 1);

        HttpResponse<java.io.InputStream> waiting = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + APP.getLocalPort() + "/v1/responses")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-queue\",\"stream\":true,\"input\":\"w1\"}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        // The head arrives with the first comment, while the only key is still busy.
        assertThat(waiting.statusCode()).isEqualTo(200);
        assertThat(waiting.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/event-stream"));
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(waiting.body(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo(": waiting for a free credential");
            assertThat(ARRIVALS).hasSize(before + 1);
            GATE.release(2);
            StringBuilder rest = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                rest.append(line).append('\n');
            }
            assertThat(rest.toString()).contains("resp_w1");
        }
        assertThat(holder.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
