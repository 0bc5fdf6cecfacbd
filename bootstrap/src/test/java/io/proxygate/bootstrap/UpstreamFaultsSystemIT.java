package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.testing.DropwizardTestSupport;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.FaultyUpstream;
import io.proxygate.bootstrap.support.FaultyUpstream.Behaviour;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import io.proxygate.bootstrap.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real application against an upstream that fails in every way a network can: 429 storms, 500s, connections
 * reset before and after the first byte, slow-loris headers, silence, a stream that stalls, and an upstream nobody
 * listens on. Every client gets a well-formed answer in its API's shape (or an error event once streaming began),
 * and afterwards no request is in flight, the upstream holds no connection of ours and the thread count is back.
 */
class UpstreamFaultsSystemIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More than one leaked thread per request would exceed this; JVM housekeeping stays well under it. */
    private static final int THREAD_SLACK = 8;
    private static final int CONCURRENT = 12;
    /** 503 when every credential failed before a reply (the pool is exhausted); 502 for a reply cut mid-body. */
    private static final Integer[] BROKEN = {502, 503};

    private static FaultyUpstream upstream;
    private static int closedPort;

    @TempDir
    Path root;

    private DropwizardTestSupport<ProxyGateConfiguration> app;
    private int baselineThreads;
    // Virtual threads, so the client's own workers never count as threads the server left behind.
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    @BeforeAll
    static void startUpstream() throws IOException {
        upstream = new FaultyUpstream();
        closedPort = ServerProcess.freePort();
    }

    @AfterAll
    static void stopUpstream() throws IOException {
        upstream.close();
    }

    @BeforeEach
    void startProxy() throws Exception {
        PoolFiles.key(root.resolve("pool"), "openai-1", "openai", "sk-test-openai-faults");
        PoolFiles.key(root.resolve("pool"), "anthropic-1", "anthropic", "sk-ant-test-faults");
        ProxyGateConfiguration config = ProxyGateRunner.config(root, Map.of(
                "PROXYGATE_UPSTREAM_OPENAI_BASE_URL", upstream.url() + "/v1",
                "PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL", "http://127.0.0.1:" + closedPort,
                "PROXYGATE_UPSTREAM_CONNECT_TIMEOUT", "1s",
                "PROXYGATE_UPSTREAM_RESPONSE_TIMEOUT", "1s",
                "PROXYGATE_UPSTREAM_IDLE_TIMEOUT", "1s",
                // One attempt: a single key would otherwise wait out its own back-off before failing.
                "PROXYGATE_ROUTING_MAX_ATTEMPTS", "1"));
        // Jetty's pool keeps surplus threads for a minute by default; a second lets the thread check mean "leak".
        ((DefaultServerFactory) config.getServerFactory()).setIdleThreadTimeout(
                io.dropwizard.util.Duration.seconds(1));
        app = new DropwizardTestSupport<>(ProxyGateApplication.class, config);
        app.before();
        baselineThreads = platformThreads();
    }

    @AfterEach
    void stopProxy() {
        app.after();
    }

    @Test
    void aStormOf429sGivesEveryClientA429InItsOwnShapeWithRetryAfter() throws Exception {
        upstream.behave(Behaviour.RATE_LIMITED);
        for (HttpResponse<String> r : storm("/v1/chat/completions", "/v1/responses")) {
            // 503 when the key was still cooling from a neighbour's 429: also "try later", also with Retry-After.
            assertThat(r.statusCode()).isIn(429, 503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertOpenAiError(r);
        }
        assertSettled();
    }

    @Test
    void upstream500sBecome502WithAnErrorBody() throws Exception {
        assertEveryRequestFailsInTheOpenAiShape(Behaviour.SERVER_ERROR, "/v1/chat/completions", "/v1/responses");
    }

    @Test
    void aConnectionResetBeforeTheFirstByteBecomes502() throws Exception {
        assertEveryRequestFailsInTheOpenAiShape(Behaviour.RESET_BEFORE_HEAD, "/v1/chat/completions", "/v1/responses");
    }

    @Test
    void aJsonReplyCutMidBodyBecomes502NotATruncated200() throws Exception {
        assertEveryRequestFailsInTheOpenAiShape(Behaviour.RESET_MID_JSON, "/v1/chat/completions");
    }

    @Test
    void aConnectionResetAfterTheFirstEventEndsTheStreamWithAnErrorEvent() throws Exception {
        assertEveryStreamEndsWithAnErrorEvent(Behaviour.RESET_AFTER_FIRST_EVENT);
    }

    /**
     * The client gets its 502 at the response timeout. The connection itself can only be dropped once the drip
     * stops: HttpClient 5.6 may not cancel such an exchange, and a drip is activity to the socket-timeout backstop.
     * Real upstreams do not drip; an endless one would hold one pooled connection while it drips.
     */
    @Test
    void anUpstreamDrippingItsHeadersTimesOutWith502() throws Exception {
        assertEveryRequestFailsInTheOpenAiShape(Behaviour.SLOW_LORIS_HEAD, "/v1/chat/completions", "/v1/responses");
    }

    @Test
    void anUpstreamThatNeverAnswersTimesOutWith502() throws Exception {
        assertEveryRequestFailsInTheOpenAiShape(Behaviour.NEVER_ANSWERS, "/v1/chat/completions", "/v1/responses");
    }

    @Test
    void aStreamThatFallsSilentIsCutByTheIdleTimeoutWithAnErrorEvent() throws Exception {
        assertEveryStreamEndsWithAnErrorEvent(Behaviour.STALLS_AFTER_FIRST_EVENT);
    }

    @Test
    void anUpstreamNobodyListensOnGives502InTheAnthropicShape() throws Exception {
        for (HttpResponse<String> r : storm("/v1/messages")) {
            assertThat(r.statusCode()).isIn(BROKEN);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("type").asText()).isEqualTo("error");
            assertThat(body.path("error").path("message").asText()).isNotBlank();
            assertThat(body.path("error").path("type").asText()).isNotBlank();
        }
        assertSettled();
    }

    /**
     * With the upstream behaving so, a storm over {@code paths} gets a 502 or 503 for every request, each with an
     * OpenAI-shaped error body, and the server settles afterwards.
     */
    private void assertEveryRequestFailsInTheOpenAiShape(Behaviour behaviour, String... paths) throws Exception {
        upstream.behave(behaviour);
        for (HttpResponse<String> r : storm(paths)) {
            assertThat(r.statusCode()).isIn(BROKEN);
            assertOpenAiError(r);
        }
        assertSettled();
    }

    /**
     * With the upstream behaving so, every Responses stream of a storm has begun (200, {@code response.created})
     * and ends with an error event, and the server settles afterwards.
     */
    private void assertEveryStreamEndsWithAnErrorEvent(Behaviour behaviour) throws Exception {
        upstream.behave(behaviour);
        for (HttpResponse<String> r : storm("/v1/responses")) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("event: response.created");
            assertErrorEventLast(r.body());
        }
        assertSettled();
    }

    /** {@link #CONCURRENT} requests at once, spread over the paths, streamed and not. */
    private List<HttpResponse<String>> storm(String... paths) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            String path = paths[i % paths.length];
            boolean stream = path.equals("/v1/responses") || (path.equals("/v1/messages") && i % 2 == 0);
            String body = switch (path) {
                case "/v1/chat/completions" -> "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                case "/v1/messages" -> "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                default -> "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}";
            };
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort() + path))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : pending) {
            responses.add(f.get());
        }
        return responses;
    }

    private static void assertOpenAiError(HttpResponse<String> r) throws IOException {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("message").asText()).as(r.body()).isNotBlank();
        assertThat(error.path("type").asText()).as(r.body()).isNotBlank();
    }

    /** The stream's last event is a Responses API error event whose data is JSON. */
    private static void assertErrorEventLast(String body) throws IOException {
        String[] events = body.strip().split("\n\n");
        String last = events[events.length - 1];
        assertThat(last).as(body).startsWith("event: error\ndata: ");
        JsonNode data = JSON.readTree(last.substring(last.indexOf("data: ") + 6));
        assertThat(data.path("type").asText()).isEqualTo("error");
        assertThat(data.path("message").asText()).isNotBlank();
    }

    /** Nothing in flight, no upstream connection held, no platform thread left behind. */
    private void assertSettled() {
        Wiring wiring = ((ProxyGateApplication) app.getApplication()).wiring();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                wiring.router().statuses().stream().mapToInt(CredentialStatus::inFlight).sum()).isZero());
        // Prompt when HttpClient can cancel; otherwise the adapter's socket-timeout backstop (idle + 5 s) closes it.
        await().atMost(Duration.ofSeconds(12)).untilAsserted(() -> assertThat(upstream.openConnections())
                .as("upstream connections still open (%d of them without a request)",
                        upstream.connectionsAwaitingRequest()).isZero());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(
                () -> assertThat(platformThreads()).as(this::threadNames)
                        .isLessThanOrEqualTo(baselineThreads + THREAD_SLACK));
    }

    private String threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList().toString();
    }

    private static int platformThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
