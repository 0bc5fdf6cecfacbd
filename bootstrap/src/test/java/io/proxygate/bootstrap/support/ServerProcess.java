package io.proxygate.bootstrap.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real server in a process of its own ({@code Main serve} on the test class path, as the jar runs it), so a
 * test can send it SIGTERM or SIGKILL. Output goes to a log file in the root directory.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the server with data and pool under {@code root} and waits until {@code /healthz} answers. */
    public static ServerProcess start(Path root, Map<String, String> env) throws Exception {
        int port = freePort();
        // A temporary folder of its own, so a test can see what the server leaves there.
        Path tmp = java.nio.file.Files.createDirectories(root.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), "io.proxygate.bootstrap.Main", "serve",
                "--config", root.resolve("absent-config.toml").toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("PROXYGATE_"));
        e.put("PROXYGATE_ADDR", "127.0.0.1:" + port);
        e.put("PROXYGATE_ADMIN_ADDR", "127.0.0.1:0");
        e.put("PROXYGATE_DATA_DIR", root.resolve("data").toString());
        e.put("PROXYGATE_POOL_DIR", root.resolve("pool").toString());
        e.put("PROXYGATE_PRICING_SOURCE", "builtin");
        e.put("PROXYGATE_LOG_LEVEL", "info");
        e.putAll(env);
        Path log = root.resolve("server.log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        ServerProcess server = new ServerProcess(pb.start(), port, log);
        server.awaitHealthy(Duration.ofSeconds(60));
        return server;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public Process process() {
        return process;
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void awaitHealthy(Duration limit) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url("/healthz")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50); // polling a process we do not control; no latch to wait on
        }
        throw new IllegalStateException("server not healthy within " + limit + ":\n" + log());
    }

    /**
     * A loopback port that was free a moment ago: for a port a server must be told before it starts (its own, its
     * admin port), or for an upstream address nobody listens on. Another process may take it in between; a server
     * then fails to start, loudly.
     */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Opens {@code count} Responses streams through the server at once ({@link #readResponsesStream}, each on its own
     * virtual thread) and returns them once every one has had its first event; fails the test when that takes more
     * than 30 s.
     */
    public List<CompletableFuture<String>> openResponsesStreams(HttpClient http, int count)
            throws InterruptedException {
        CountDownLatch started = new CountDownLatch(count);
        List<CompletableFuture<String>> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            streams.add(CompletableFuture.supplyAsync(() -> readResponsesStream(http, started),
                    Executors.newVirtualThreadPerTaskExecutor()));
        }
        assertThat(started.await(30, TimeUnit.SECONDS)).as("every stream began").isTrue();
        return streams;
    }

    /**
     * Streams one Responses request through the server and reads the reply to its end, counting {@code started} down
     * at its first event. A client-side failure ends the text with a note instead of throwing, so the caller can
     * assert on what arrived before it.
     */
    private String readResponsesStream(HttpClient http, CountDownLatch started) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url("/v1/responses")))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}"))
                .build();
        StringBuilder body = new StringBuilder();
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] buffer = new byte[4096];
                int n;
                boolean counted = false;
                while ((n = in.read(buffer)) >= 0) {
                    body.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (!counted && body.indexOf("response.created") >= 0) {
                        started.countDown();
                        counted = true;
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            body.append("\n[client error: ").append(e).append(']');
        }
        return body.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
