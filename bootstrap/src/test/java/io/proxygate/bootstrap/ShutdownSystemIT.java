package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server as a process of its own under load. SIGTERM: streams in flight finish within the grace, every request
 * is in the request log, the exit status is 0. SIGKILL while tokens are being refreshed and rows written: every
 * pool file is still whole JSON and the database passes {@code PRAGMA integrity_check}.
 */
class ShutdownSystemIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STREAMS = 6;
    private static final int EVENTS = 20;

    private static MockUpstream upstream;
    private static final AtomicInteger refreshes = new AtomicInteger();

    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    @BeforeAll
    static void startUpstream() throws IOException {
        upstream = new MockUpstream();
        upstream.on("POST", "/v1/responses", (r, ex) -> {
            OutputStream out = MockUpstream.startSse(ex, Map.of());
            MockUpstream.event(out, "response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\","
                    + "\"model\":\"gpt-5\",\"status\":\"in_progress\",\"output\":[]}}");
            for (int i = 0; i < EVENTS; i++) {
                pace(100);
                MockUpstream.event(out, "response.output_text.delta",
                        "{\"type\":\"response.output_text.delta\",\"delta\":\"t" + i + "\"}");
            }
            MockUpstream.event(out, "response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\","
                    + "\"model\":\"gpt-5\",\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":10,"
                    + "\"output_tokens\":" + EVENTS + ",\"total_tokens\":" + (10 + EVENTS) + "}}}");
        });
        upstream.on("POST", "/backend-api/codex/responses", (r, ex) -> {
            OutputStream out = MockUpstream.startSse(ex, Map.of());
            MockUpstream.event(out, "response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_2\","
                    + "\"model\":\"gpt-5\",\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":1,"
                    + "\"output_tokens\":1,\"total_tokens\":2}}}");
        });
        // Tokens that expire at once: every request refreshes, so pool files are rewritten all the time.
        upstream.on("POST", "/oauth/token", (r, ex) -> {
            int n = refreshes.incrementAndGet();
            MockUpstream.json(ex, 200, "{\"access_token\":\"fake-access-" + n + "\",\"refresh_token\":\"fake-refresh-"
                    + n + "\",\"expires_in\":1}");
        });
        upstream.on("GET", "/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    private static Map<String, String> env() {
        return Map.of(
                "PROXYGATE_UPSTREAM_OPENAI_BASE_URL", upstream.url() + "/v1",
                "PROXYGATE_UPSTREAM_CHATGPT_BASE_URL", upstream.url() + "/backend-api",
                "PROXYGATE_CHATGPT_USAGE_URL", upstream.url() + "/wham/usage",
                "PROXYGATE_OAUTH_OPENAI_ISSUER", upstream.url(),
                "PROXYGATE_SERVER_SHUTDOWN_GRACE", "20s",
                "PROXYGATE_ROUTING_PRIORITY", "apikey-first");
    }

    @Test
    void sigtermLetsStreamsInFlightFinishRecordsEveryRequestAndExitsZero(@TempDir Path root) throws Exception {
        PoolFiles.key(root.resolve("pool"), "openai-1", "openai", "sk-test-openai-shutdown");
        try (ServerProcess server = ServerProcess.start(root, env())) {
            List<CompletableFuture<String>> streams = server.openResponsesStreams(http, STREAMS);

            server.process().destroy(); // SIGTERM

            for (CompletableFuture<String> stream : streams) {
                String body = stream.get(30, TimeUnit.SECONDS);
                assertThat(body).as("a stream cut short by shutdown").contains("t" + (EVENTS - 1))
                        .contains("event: response.completed");
            }
            assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).as("exited within the grace").isTrue();
            assertThat(server.process().exitValue()).as(server.log()).isZero();
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("data/proxygate.db"));
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(output_tokens) FROM request_log")) {
            rs.next();
            assertThat(rs.getInt(1)).as("request-log rows").isEqualTo(STREAMS);
            assertThat(rs.getLong(2)).isEqualTo((long) STREAMS * EVENTS);
        }
    }

    @Test
    void sigkillUnderLoadLeavesWholePoolFilesAndASoundDatabase(@TempDir Path root) throws Exception {
        Path pool = root.resolve("pool");
        for (int i = 0; i < 4; i++) {
            Path file = pool.resolve("chatgpt/user" + i + "_x.com.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, """
                    {"email":"user%d@x.com","account_id":"acc-%d","plan_type":"plus","access_token":"fake-access-old",
                     "refresh_token":"fake-refresh-old","expires_at":"2020-01-01T00:00:00Z"}
                    """.formatted(i, i));
        }
        int before = refreshes.get();
        try (ServerProcess server = ServerProcess.start(root, env())) {
            List<CompletableFuture<HttpResponse<String>>> load = new ArrayList<>();
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/v1/responses")))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-5\",\"input\":\"hi\"}")).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // Load until a good number of refreshes (file rewrites) happened, then kill in the middle of more.
            while (refreshes.get() - before < 40 && System.nanoTime() < deadline) {
                for (int i = 0; i < 8; i++) {
                    load.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
                }
                CompletableFuture.allOf(load.subList(load.size() - 8, load.size()).toArray(CompletableFuture[]::new))
                        .exceptionally(e -> null).get(15, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 16; i++) {
                load.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            server.process().destroyForcibly(); // SIGKILL, with requests in flight
            assertThat(server.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(refreshes.get() - before).as("token refreshes (pool file rewrites) under load").isGreaterThan(8);
        // SQLite's native library came from the copy beside the database, so the killed JVM left none behind in
        // its temporary folder (the driver's own unpacking deletes its file only at a clean exit).
        try (Stream<Path> data = Files.list(root.resolve("data")); Stream<Path> tmp = Files.list(root.resolve("tmp"))) {
            List<Path> copies = data.filter(f -> f.getFileName().toString().startsWith(".sqlite-native-")).toList();
            assertThat(copies).hasSize(1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copies.get(0))))
                    .isEqualTo("rw-------");
            assertThat(tmp.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("sqlite-"));
        }
        try (Stream<Path> files = Files.walk(pool)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all).filteredOn(f -> f.toString().endsWith(".json")).hasSize(4);
            for (Path f : all) {
                assertThat(f.getFileName().toString()).as("no temp file left where a credential is read")
                        .endsWith(".json");
                assertThat(JSON.readTree(f.toFile()).path("access_token").asText()).as(f.toString())
                        .startsWith("fake-access-");
            }
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("data/proxygate.db"));
             Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM request_log")) {
                rs.next();
                assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(0);
            }
        }
    }

    private static void pace(long millis) {
        try {
            Thread.sleep(millis); // the upstream's own pace, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
