import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ProxyGate benchmark: starts the bench upstream, ProxyGate (the real jar) and, when installed, the Portkey
 * gateway, all pointed at the same upstream, then runs each scenario against the upstream directly (A), through
 * ProxyGate (B) and through the peer (C), alternating the order so drift cancels, and writes RESULTS.md.
 * Run it through {@code run.sh}, which builds what it needs; {@code --quick} for a short run. The soak test is
 * {@code soak.sh}.
 */
public final class Bench {
    // ---------------------------------------------------------------------------------------------------- settings
    private static final int UPSTREAM_PORT = 18180;
    private static final int PROXY_PORT = 18190;
    private static final int PROXY_ADMIN_PORT = 18191;
    private static final int PEER_PORT = 18200;
    private static final String CHAT_BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello.\"}],\"max_tokens\":16}";
    private static final String RESPONSES_BODY = "{\"model\":\"gpt-4o-mini\",\"input\":\"Say hello.\","
            + "\"max_output_tokens\":16}";

    private final boolean quick;
    private final Path benchDir;
    private final Path outDir;
    private final Path jar;
    private final Path launcher;
    private final Path peerScript;
    private final String node;
    private final Path classes;
    private final List<Process> processes = new ArrayList<>();
    private final StringBuilder log = new StringBuilder();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private String loadAtStart = "";
    private Process upstream;
    private Process proxy;
    private Process peer;

    private Bench(Map<String, String> options) {
        this.quick = options.containsKey("quick");
        this.benchDir = Path.of(options.getOrDefault("bench-dir", ".")).toAbsolutePath().normalize();
        this.outDir = Path.of(options.getOrDefault("out", benchDir.resolve("out").toString())).toAbsolutePath();
        this.jar = Path.of(options.getOrDefault("jar", benchDir.resolve("../../bootstrap/target/proxy-gate.jar")
                .toString())).toAbsolutePath().normalize();
        this.launcher = benchDir.resolve("../../proxy-gate").normalize();
        String peerPath = options.getOrDefault("peer", "");
        this.peerScript = peerPath.isBlank() ? null : Path.of(peerPath).toAbsolutePath();
        this.node = options.getOrDefault("node", "node");
        this.classes = Path.of(options.getOrDefault("classes", outDir.resolve("classes").toString()));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--")) {
                String[] kv = a.substring(2).split("=", 2);
                options.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        Bench bench = new Bench(options);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll));
        try {
            bench.runAll();
        } finally {
            bench.stopAll();
        }
        System.exit(0);
    }

    // ------------------------------------------------------------------------------------------------- the targets

    /** One way to reach the upstream, with the headers each API needs on that way. */
    record Target(String name, String label, int port, Map<String, String> openaiHeaders,
                  Map<String, String> anthropicHeaders) {
        Map<String, String> headersFor(String path) {
            return path.contains("messages") ? anthropicHeaders : openaiHeaders;
        }
    }

    private static final Target DIRECT = new Target("A", "direct", UPSTREAM_PORT,
            Map.of("Authorization", "Bearer sk-test-bench-openai"),
            Map.of("x-api-key", "sk-ant-test-bench", "anthropic-version", "2023-06-01"));
    private static final Target PROXYGATE = new Target("B", "ProxyGate", PROXY_PORT, Map.of(),
            Map.of("anthropic-version", "2023-06-01"));
    private static final Target PEER = new Target("C", "Portkey", PEER_PORT,
            Map.of("Authorization", "Bearer sk-test-bench-openai", "x-portkey-provider", "openai",
                    "x-portkey-custom-host", "http://127.0.0.1:" + UPSTREAM_PORT + "/v1"),
            Map.of("x-api-key", "sk-ant-test-bench", "anthropic-version", "2023-06-01",
                    "x-portkey-provider", "anthropic", "x-portkey-custom-host",
                    "http://127.0.0.1:" + UPSTREAM_PORT + "/v1"));

    private List<Target> targets() {
        return peer != null ? List.of(DIRECT, PROXYGATE, PEER) : List.of(DIRECT, PROXYGATE);
    }

    /** Round r's order: ABC, then CBA, then BCA...: each target runs early and late about equally. */
    private List<Target> order(int round) {
        List<Target> t = new ArrayList<>(targets());
        if (round % 2 == 1) {
            java.util.Collections.reverse(t);
        }
        java.util.Collections.rotate(t, round / 2);
        return t;
    }

    // ------------------------------------------------------------------------------------------------ the run

    private void runAll() throws Exception {
        Files.createDirectories(outDir);
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        loadAtStart = loadAverage();
        long t0 = System.nanoTime();
        startUpstream();

        say("== scenario 4: start-up and idle memory");
        Startup pgStartup = startupProxyGate(quick ? 3 : 5);
        Startup peerStartup = peerScript != null ? startupPeer(quick ? 1 : 2) : null;

        startProxyGate();
        RssPeak rssPeak = RssPeak.watch(proxy.pid());
        if (peerScript != null) {
            startPeer();
        }
        say("== warm-up");
        for (Target t : targets()) {
            wrk(t, "/v1/chat/completions", CHAT_BODY, 0, 32, quick ? 4 : 8);
            wrk(t, "/v1/responses", RESPONSES_BODY, 0, 32, quick ? 4 : 8);
            // The JIT needs the streaming paths as much as the plain ones: a few hundred short streams each.
            streams(t, "/v1/responses", streamBody("/v1/responses", 20, 0), 20, quick ? 200 : 400, 0, 1, 0);
            streams(t, "/v1/messages", streamBody("/v1/messages", 20, 0), 20, quick ? 200 : 400, 0, 2, 0);
        }
        // ... and the translated path (Messages client, Responses upstream).
        streams(PROXYGATE, "/v1/messages", translatedBody(20, 0), 20, quick ? 200 : 400, 0, 3, 0);
        settleJit(quick ? Duration.ofSeconds(30) : Duration.ofSeconds(90));

        say("== scenario 1: non-streamed");
        int[] rates = quick ? new int[]{500, 0} : new int[]{100, 500, 1000, 0};
        int rounds = 2;
        int seconds = quick ? 4 : 5;
        Map<String, Map<String, List<WrkResult>>> nonStreamed = new LinkedHashMap<>();
        for (String path : List.of("/v1/chat/completions", "/v1/responses")) {
            String body = path.contains("chat") ? CHAT_BODY : RESPONSES_BODY;
            for (int rate : rates) {
                String key = path + " @ " + (rate == 0 ? "saturation" : rate + " req/s");
                Map<String, List<WrkResult>> byTarget = new LinkedHashMap<>();
                for (int round = 0; round < rounds; round++) {
                    for (Target t : order(round)) {
                        int conns = rate == 0 ? 32 : rate <= 100 ? 10 : 20;
                        WrkResult r = wrk(t, path, body, rate, conns, seconds);
                        byTarget.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(r);
                        say(String.format(Locale.ROOT, "%-34s %-9s %8.0f req/s p50 %6.3f p99 %6.3f p99.9 %7.3f ms errors %d",
                                key, t.label(), r.rps(), r.p50() / 1000.0, r.p99() / 1000.0, r.p999() / 1000.0,
                                r.errors()));
                    }
                }
                nonStreamed.put(key, byTarget);
            }
        }

        say("== scenario 2: streamed (50 events, 20 ms apart)");
        Map<String, Map<String, List<StreamStats>>> streamed = new LinkedHashMap<>();
        for (String path : List.of("/v1/responses", "/v1/messages")) {
            Map<String, List<StreamStats>> byTarget = new LinkedHashMap<>();
            int firstGap = path.contains("messages") ? 2 : 1;
            for (int round = 0; round < rounds; round++) {
                for (Target t : order(round)) {
                    StreamStats s = streams(t, path, streamBody(path, 50, 20), 20, quick ? 60 : 120, 50, firstGap, 20);
                    byTarget.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(s);
                    say(String.format(Locale.ROOT, "%-14s %-9s ttfb p50 %6.3f p99 %6.3f ms; gap error p50 %6.3f p99 %6.3f ms; ok %d/%d",
                            path, t.label(), s.ttfbP50() / 1e6, s.ttfbP99() / 1e6, s.jitterP50() / 1e6,
                            s.jitterP99() / 1e6, s.completed(), s.total()));
                }
            }
            streamed.put(path, byTarget);
        }
        // Translation: a Messages client served by the Responses upstream ([translate] in the bench's config). A is
        // the same upstream stream fetched directly; B's first events are message_start (on response.created), then
        // content_block_start with the first delta, so the 20 ms gaps are measured from the fourth event on. Each run
        // alternates those streams with the same client's untranslated Messages streams in one set of 20 concurrent
        // slots (directly: the Responses and Messages upstream streams), so that both see the same moment's load.
        // Between separate runs the TTFB p50 moves by ±0.5 ms on this machine, more than the 0.2 ms being measured.
        Map<String, List<StreamStats>> translated = new LinkedHashMap<>();
        Map<String, List<StreamStats>> alongside = new LinkedHashMap<>();
        StreamCase plainMessages = new StreamCase("/v1/messages", streamBody("/v1/messages", 50, 20), 50, 2);
        for (int round = 0; round < (quick ? 2 : 4); round++) {
            for (Target t : order(round)) {
                if (t == PEER) {
                    continue;
                }
                StreamCase served = t == DIRECT
                        ? new StreamCase("/v1/responses", streamBody("/v1/responses", 50, 20), 50, 1)
                        : new StreamCase("/v1/messages", translatedBody(50, 20), 49, 3);
                List<StreamStats> both = streams(t, List.of(served, plainMessages), 20, quick ? 120 : 240, 20);
                translated.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(both.get(0));
                alongside.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(both.get(1));
                for (int i = 0; i < 2; i++) {
                    StreamStats s = both.get(i);
                    say(String.format(Locale.ROOT, "%-14s %-9s ttfb p50 %6.3f p99 %6.3f ms; gap error p50 %6.3f p99 %6.3f ms; ok %d/%d",
                            i == 0 ? "translated" : "alongside", t.label(), s.ttfbP50() / 1e6, s.ttfbP99() / 1e6,
                            s.jitterP50() / 1e6, s.jitterP99() / 1e6, s.completed(), s.total()));
                }
            }
        }
        streamed.put(TRANSLATED, translated);
        streamed.put(ALONGSIDE_TRANSLATED, alongside);

        // Many short streams at once: 200 concurrent streams of 20 events 5 ms apart, with the CPU each target's own
        // process spends (the upstream's for A, the gateway's alone for B and C) to count events per CPU-second.
        say("== scenario 2b: 200 concurrent streams (20 events, 5 ms apart)");
        Map<String, List<StreamStats>> crowded = new LinkedHashMap<>();
        Map<String, long[]> crowdedCpu = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Target t : order(round)) {
                Process served = t == DIRECT ? upstream : t == PROXYGATE ? proxy : peer;
                long cpuBefore = cpuMillis(served.toHandle());
                StreamStats s = streams(t, "/v1/responses", streamBody("/v1/responses", 20, 5), 200,
                        quick ? 400 : 1000, 20, 1, 5);
                long cpu = cpuMillis(served.toHandle()) - cpuBefore;
                crowded.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(s);
                long[] acc = crowdedCpu.computeIfAbsent(t.name(), k -> new long[2]);
                acc[0] += (long) s.completed() * 22; // response.created, 20 deltas, response.completed
                acc[1] += cpu;
                say(String.format(Locale.ROOT, "%-14s %-9s ttfb p50 %6.3f p99 %6.3f ms; gap error p99 %6.3f ms; ok %d/%d; cpu %d ms",
                        "200 streams", t.label(), s.ttfbP50() / 1e6, s.ttfbP99() / 1e6, s.jitterP99() / 1e6,
                        s.completed(), s.total(), cpu));
            }
        }
        streamed.put(CROWDED, crowded);

        say("== scenario 3: concurrent long streams");
        List<HeldStreams> held = new ArrayList<>();
        int[] sizes = quick ? new int[]{1000} : new int[]{1000, 5000};
        for (int n : sizes) {
            held.add(holdStreams(PROXYGATE, proxy, n));
            if (peer != null) {
                held.add(holdStreams(PEER, peer, n));
            }
        }
        long elapsed = (System.nanoTime() - t0) / 1_000_000_000L;
        String report = Report.render(started, elapsed, quick, machine(), pgStartup, peerStartup, nonStreamed,
                streamed, crowdedCpu, held, rssPeak.stop(), peer != null);
        Path results = benchDir.resolve(quick ? "RESULTS-quick.md" : "RESULTS.md");
        Files.writeString(results, report);
        Files.writeString(outDir.resolve("bench.log"), log.toString());
        say("wrote " + results + " (" + elapsed + " s)");
    }

    // ------------------------------------------------------------------------------------------------ processes

    private void startUpstream() throws Exception {
        // TCP_NODELAY on the upstream's sockets, as real API servers have: with Nagle on, a gateway's keep-alive
        // connection (no TCP quick-ack any more) gets small SSE writes held for the peer's delayed ACK.
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Dsun.net.httpserver.nodelay=true", "-cp",
                classes.toString(), "BenchUpstream", Integer.toString(UPSTREAM_PORT));
        upstream = launch(pb, "upstream.log");
        waitForPort(UPSTREAM_PORT, Duration.ofSeconds(30));
    }

    private Path preparePool(Path root) throws IOException {
        Path keys = root.resolve("pool/apikeys");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve("openai-bench.json"),
                "{\"id\":\"openai-bench\",\"type\":\"openai\",\"api_key\":\"sk-test-bench-openai\"}");
        // The Anthropic key does not serve the claude-xlate-* models: [translate] sends them to the Responses upstream.
        Files.writeString(keys.resolve("anthropic-bench.json"),
                "{\"id\":\"anthropic-bench\",\"type\":\"anthropic\",\"api_key\":\"sk-ant-test-bench\","
                        + "\"exclude_models\":[\"claude-xlate-*\"]}");
        Files.writeString(root.resolve("config.toml"), """
                [translate]
                enabled = true
                [translate.models]
                "claude-xlate-e20-g0"  = "gpt-bench-e20-g0"
                "claude-xlate-e50-g20" = "gpt-bench-e50-g20"
                """);
        return root;
    }

    /** Through the launcher, as a user starts it (its JVM defaults included); it execs java, so the pid is the JVM's. */
    private ProcessBuilder proxyGateCommand(Path root) {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "serve");
        pb.directory(root.toFile()); // its config.toml turns translation on
        pb.environment().put("JAVA_HOME", Path.of(javaBin()).getParent().getParent().toString());
        Map<String, String> env = pb.environment();
        env.put("PROXYGATE_ADDR", "127.0.0.1:" + PROXY_PORT);
        env.put("PROXYGATE_ADMIN_ADDR", "127.0.0.1:" + PROXY_ADMIN_PORT);
        env.put("PROXYGATE_DATA_DIR", root.resolve("data").toString());
        env.put("PROXYGATE_POOL_DIR", root.resolve("pool").toString());
        env.put("PROXYGATE_PRICING_SOURCE", "builtin");
        env.put("PROXYGATE_ADMIN_TOKEN", "bench-admin-token");
        env.put("PROXYGATE_UPSTREAM_OPENAI_BASE_URL", "http://127.0.0.1:" + UPSTREAM_PORT + "/v1");
        env.put("PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL", "http://127.0.0.1:" + UPSTREAM_PORT);
        // The bench upstream speaks HTTP/1.1 only: one connection per concurrent stream (real upstreams multiplex
        // many streams over HTTP/2, where the default of 512 connections is plenty).
        env.put("PROXYGATE_UPSTREAM_MAX_CONNECTIONS_PER_ROUTE", "8192");
        return pb;
    }

    private void startProxyGate() throws Exception {
        Path root = preparePool(Files.createTempDirectory("proxygate-bench"));
        proxy = launch(proxyGateCommand(root), "proxygate.log");
        waitForHttp("http://127.0.0.1:" + PROXY_PORT + "/healthz", Duration.ofSeconds(60));
    }

    private ProcessBuilder peerCommand() {
        ProcessBuilder pb = new ProcessBuilder(node, peerScript.toString(), "--port=" + PEER_PORT, "--headless");
        pb.environment().put("NODE_ENV", "production");
        pb.directory(peerScript.getParent().toFile());
        return pb;
    }

    private void startPeer() throws Exception {
        peer = launch(peerCommand(), "peer.log");
        waitForHttp("http://127.0.0.1:" + PEER_PORT + "/", Duration.ofSeconds(60));
    }

    /** Start-ups in order; for ProxyGate the first is cold (the launcher's start-up cache is built at its stop). */
    record Startup(List<Long> millis, List<Long> idleRssKiB) {
        long coldMillis() {
            return millis.getFirst();
        }

        long warmMillis() {
            return millis.size() > 1 ? median(millis.subList(1, millis.size())) : millis.getFirst();
        }

        long warmRssKiB() {
            return idleRssKiB.size() > 1 ? median(idleRssKiB.subList(1, idleRssKiB.size())) : idleRssKiB.getFirst();
        }

        long medianMillis() {
            return median(millis);
        }

        long medianRssKiB() {
            return median(idleRssKiB);
        }
    }

    private Startup startupProxyGate(int runs) throws Exception {
        // The launcher's start-up cache (proxy-gate.<fingerprint>.aot on JDK 25, .jsa before): gone, so the first
        // start is cold and trains it.
        try (var caches = Files.newDirectoryStream(jar.getParent(), "proxy-gate.*.{aot,jsa}")) {
            for (Path cache : caches) {
                Files.deleteIfExists(cache);
            }
        }
        List<Long> times = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Path root = preparePool(Files.createTempDirectory("proxygate-bench-start"));
            long t0 = System.nanoTime();
            Process p = launch(proxyGateCommand(root), "proxygate-start-" + i + ".log");
            waitForHttp("http://127.0.0.1:" + PROXY_PORT + "/healthz", Duration.ofSeconds(60));
            times.add((System.nanoTime() - t0) / 1_000_000);
            Thread.sleep(3000);
            rss.add(rssKiB(p.pid()));
            stop(p);
            say("ProxyGate start " + i + ": healthy after " + times.getLast() + " ms, idle RSS " + rss.getLast() / 1024 + " MiB");
        }
        return new Startup(times, rss);
    }

    private Startup startupPeer(int runs) throws Exception {
        List<Long> times = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Process p = launch(peerCommand(), "peer-start-" + i + ".log");
            waitForHttp("http://127.0.0.1:" + PEER_PORT + "/", Duration.ofSeconds(60));
            times.add((System.nanoTime() - t0) / 1_000_000);
            Thread.sleep(3000);
            rss.add(rssKiB(p.pid()));
            stop(p);
            say("Portkey start " + i + ": healthy after " + times.getLast() + " ms, idle RSS " + rss.getLast() / 1024 + " MiB");
        }
        return new Startup(times, rss);
    }

    private Process launch(ProcessBuilder pb, String logName) throws IOException {
        Files.createDirectories(outDir);
        pb.redirectErrorStream(true);
        pb.redirectOutput(outDir.resolve(logName).toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        processes.remove(p);
    }

    private void stopAll() {
        for (Process p : List.copyOf(processes)) {
            p.destroy();
        }
        for (Process p : List.copyOf(processes)) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    private void waitForHttp(String url, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(url + " did not answer 200 within " + limit);
    }

    private static void waitForPort(int port, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("port " + port + " did not open within " + limit);
    }

    private static String javaBin() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    // ------------------------------------------------------------------------------------------ process metrics

    static long rssKiB(long pid) {
        return procStatus(pid, "VmRSS");
    }

    static long threads(long pid) {
        return procStatus(pid, "Threads");
    }

    private static long procStatus(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Keeps ProxyGate busy with every kind of request until its JIT stops compiling (at most {@code limit}): a C2
     * compiler thread still at work takes one of the two cores and shows up as tail latency in whichever scenario
     * runs first. A gateway serves for days; its steady state is what the scenarios measure.
     */
    private void settleJit(Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long before = compiledMethods(proxy.pid());
        while (before >= 0 && System.nanoTime() < deadline) {
            wrk(PROXYGATE, "/v1/chat/completions", CHAT_BODY, 0, 32, 2);
            wrk(PROXYGATE, "/v1/responses", RESPONSES_BODY, 0, 32, 2);
            wrk(PROXYGATE, "/v1/chat/completions", CHAT_BODY, 500, 20, 2);
            streams(PROXYGATE, "/v1/responses", streamBody("/v1/responses", 20, 0), 20, 200, 0, 1, 0);
            streams(PROXYGATE, "/v1/messages", streamBody("/v1/messages", 20, 0), 20, 200, 0, 2, 0);
            long after = compiledMethods(proxy.pid());
            say("JIT settling: " + (after - before) + " methods compiled in the last round");
            if (after - before <= 5) {
                return;
            }
            before = after;
        }
    }

    /** Methods the JIT has compiled so far ({@code jstat -compiler}), or -1 when jstat is not available. */
    static long compiledMethods(long pid) {
        Path jstat = Path.of(javaBin()).resolveSibling("jstat");
        try {
            String[] lines = run(List.of(jstat.toString(), "-compiler", Long.toString(pid))).trim().split("\n");
            return lines.length < 2 ? -1 : Long.parseLong(lines[1].trim().split("\\s+")[0]);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return -1;
        }
    }

    /** Live heap after a full collection, through jcmd (KiB), or -1 when jcmd is not available. */
    static long heapAfterGcKiB(long pid) {
        Path jcmd = Path.of(javaBin()).resolveSibling("jcmd");
        try {
            run(List.of(jcmd.toString(), Long.toString(pid), "GC.run"));
            String info = run(List.of(jcmd.toString(), Long.toString(pid), "GC.heap_info"));
            // G1 prints one heap line, Serial and Parallel one per generation (summed); each says "total".
            long used = -1;
            for (String line : info.lines().toList()) {
                Matcher m = Pattern.compile("used (\\d+)K").matcher(line);
                if (line.contains(" total ") && m.find()) {
                    used = Math.max(used, 0) + Long.parseLong(m.group(1));
                }
            }
            return used;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------- wrk

    record WrkResult(long requests, long durationMicros, long errors, long p50, long p90, long p99, long p999,
                     long max) {
        double rps() {
            return durationMicros == 0 ? 0 : requests * 1e6 / durationMicros;
        }
    }

    private WrkResult wrk(Target t, String path, String body, int rate, int connections, int seconds)
            throws IOException, InterruptedException {
        List<String> cmd = List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
                "-s", benchDir.resolve("post.lua").toString(), "http://127.0.0.1:" + t.port() + path, "--",
                Integer.toString(rate));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("BENCH_BODY", body);
        StringBuilder headers = new StringBuilder();
        t.headersFor(path).forEach((k, v) -> headers.append(k).append(": ").append(v).append('|'));
        pb.environment().put("BENCH_HEADERS", headers.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(seconds + 30L, TimeUnit.SECONDS);
        log.append("wrk ").append(t.label()).append(' ').append(path).append(" rate=").append(rate).append('\n')
                .append(out).append('\n');
        Matcher m = Pattern.compile("\\{\"requests\".*}").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no result: " + out);
        }
        String json = m.group();
        return new WrkResult(num(json, "requests"), num(json, "duration_us"),
                num(json, "socket_errors") + num(json, "status_errors") + num(json, "timeouts"),
                num(json, "p50"), num(json, "p90"), num(json, "p99"), num(json, "p999"), num(json, "max"));
    }

    private static long num(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9.]+)").matcher(json);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    // ---------------------------------------------------------------------------------------------- streams

    /** The streamed scenario's row for a Messages client served by the Responses upstream through translation. */
    static final String TRANSLATED = "/v1/messages → /v1/responses (translated)";
    /** The untranslated Messages streams run alternately with the translated ones, for the same-moment comparison. */
    static final String ALONGSIDE_TRANSLATED = "/v1/messages (alongside the translated streams)";
    static final String CROWDED = "/v1/responses, 200 concurrent streams (20 events, 5 ms apart)";

    /** User plus system CPU of a process and its descendants so far, from /proc (clock ticks of 10 ms). */
    static long cpuMillis(ProcessHandle process) {
        long ticks = 0;
        for (ProcessHandle h : java.util.stream.Stream.concat(java.util.stream.Stream.of(process),
                process.descendants()).toList()) {
            try {
                String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException gone) {
                // The process ended between the listing and the read.
            }
        }
        return ticks * 10;
    }

    /** The highest RSS a process reaches while the scenarios run, sampled four times a second. */
    static final class RssPeak {
        private final long pid;
        private final Thread sampler;
        private volatile boolean running = true;
        private volatile long peakKiB;

        private RssPeak(long pid) {
            this.pid = pid;
            this.sampler = Thread.ofPlatform().daemon().name("rss-peak").unstarted(this::sample);
        }

        static RssPeak watch(long pid) {
            RssPeak peak = new RssPeak(pid);
            peak.sampler.start();
            return peak;
        }

        private void sample() {
            while (running) {
                long rss = rssKiB(pid);
                if (rss > peakKiB) {
                    peakKiB = rss;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long stop() {
            running = false;
            sampler.interrupt();
            return peakKiB;
        }
    }

    /** A Messages request for a model that [translate] maps to the Responses upstream's {@code gpt-bench-…}. */
    static String translatedBody(int events, int gapMillis) {
        return "{\"model\":\"claude-xlate-e" + events + "-g" + gapMillis + "\",\"max_tokens\":256,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
    }

    static String streamBody(String path, int events, int gapMillis) {
        String model = (path.contains("messages") ? "claude-bench" : "gpt-bench") + "-e" + events + "-g" + gapMillis;
        if (path.contains("messages")) {
            return "{\"model\":\"" + model + "\",\"max_tokens\":256,\"stream\":true,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"Say hello.\"}]}";
        }
        return "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"Say hello.\"}";
    }

    /** What one stream saw: when each event completed, relative to the request being sent. */
    record StreamTrace(long[] eventNanos, int events, boolean complete, String error) {
    }

    record StreamStats(int total, int completed, long ttfbP50, long ttfbP99, long jitterP50, long jitterP99,
                       long maxGap) {
    }

    /** {@code total} streams, {@code concurrency} at a time; gaps {@code firstGap..firstGap+gaps-1} should be {@code gapMillis}. */
    private StreamStats streams(Target t, String path, String body, int concurrency, int total, int gaps,
                                int firstGap, int gapMillis) throws InterruptedException {
        return streams(t, List.of(new StreamCase(path, body, gaps, firstGap)), concurrency, total, gapMillis).get(0);
    }

    /** One kind of stream in a run: where it goes, and which of its event gaps carry the upstream's pacing. */
    record StreamCase(String path, String body, int gaps, int firstGap) {
    }

    /** {@code total} streams, {@code concurrency} at a time, taking the cases in turn; one result per case. */
    private List<StreamStats> streams(Target t, List<StreamCase> cases, int concurrency, int total, int gapMillis)
            throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        List<ConcurrentLinkedQueue<StreamTrace>> traces = new ArrayList<>();
        cases.forEach(c -> traces.add(new ConcurrentLinkedQueue<>()));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                StreamCase c = cases.get(i % cases.size());
                ConcurrentLinkedQueue<StreamTrace> into = traces.get(i % cases.size());
                slots.acquire();
                pool.submit(() -> {
                    try {
                        into.add(stream(t, c.path(), c.body(), Duration.ofSeconds(30), null));
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        List<StreamStats> stats = new ArrayList<>();
        for (int k = 0; k < cases.size(); k++) {
            stats.add(statsOf(traces.get(k), cases.get(k), gapMillis));
        }
        return stats;
    }

    private static StreamStats statsOf(Collection<StreamTrace> traces, StreamCase c, int gapMillis) {
        List<Long> ttfb = new ArrayList<>();
        List<Long> jitter = new ArrayList<>();
        long maxGap = 0;
        int completed = 0;
        for (StreamTrace trace : traces) {
            if (!trace.complete()) {
                continue;
            }
            completed++;
            ttfb.add(trace.eventNanos()[0]);
            for (int g = c.firstGap(); g < c.firstGap() + c.gaps() && g < trace.events(); g++) {
                long gap = trace.eventNanos()[g] - trace.eventNanos()[g - 1];
                jitter.add(Math.abs(gap - gapMillis * 1_000_000L));
                maxGap = Math.max(maxGap, gap);
            }
        }
        return new StreamStats(traces.size(), completed, percentile(ttfb, 50), percentile(ttfb, 99),
                percentile(jitter, 50), percentile(jitter, 99), maxGap);
    }

    /**
     * One streamed request over a plain socket (HTTP/1.1, {@code Connection: close}); records the moment each SSE
     * event (blank-line terminated) is complete. {@code opened} is counted down at the first event.
     */
    static StreamTrace stream(Target t, String path, String body, Duration timeout, CountDownLatch opened) {
        long[] times = new long[256];
        int events = 0;
        boolean openedSignalled = false;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", t.port()), 10_000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                    .append(t.port()).append("\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n")
                    .append("Content-Length: ").append(bodyBytes.length).append("\r\nConnection: close\r\n");
            t.headersFor(path).forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bodyBytes);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            String status = line(in);
            if (status == null || !status.contains(" 200")) {
                return new StreamTrace(times, 0, false, "status " + status);
            }
            boolean chunked = false;
            String h;
            while ((h = line(in)) != null && !h.isEmpty()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            BodyReader reader = new BodyReader(in, chunked);
            int prev = -1;
            int b;
            while ((b = reader.read()) >= 0) {
                if (b == '\r') {
                    continue;
                }
                if (b == '\n' && prev == '\n') {
                    if (events == times.length) {
                        times = Arrays.copyOf(times, times.length * 2);
                    }
                    times[events++] = System.nanoTime() - start;
                    if (!openedSignalled && opened != null) {
                        opened.countDown();
                        openedSignalled = true;
                    }
                    prev = -1;
                    continue;
                }
                prev = b;
            }
            return new StreamTrace(times, events, true, null);
        } catch (IOException e) {
            return new StreamTrace(times, events, false, e.toString());
        } finally {
            if (!openedSignalled && opened != null) {
                opened.countDown();
            }
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) b);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** The response body, de-chunked when needed (also the soak's reader, {@code Soak.java}). */
    static final class BodyReader extends InputStream {
        private final InputStream in;
        private final boolean chunked;
        private long left;
        private boolean done;

        BodyReader(InputStream in, boolean chunked) {
            this.in = in;
            this.chunked = chunked;
        }

        @Override
        public int read() throws IOException {
            if (!chunked) {
                return in.read();
            }
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size != null && size.isEmpty()) {
                    size = line(in); // the CRLF after the previous chunk
                }
                if (size == null) {
                    done = true;
                    return -1;
                }
                int semi = size.indexOf(';');
                left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }
    }

    // --------------------------------------------------------------------------------- many concurrent streams

    record HeldStreams(String target, int streams, long baselineHeapKiB, long heapKiB, long baselineRssKiB,
                       long rssKiB, long baselineThreads, long threads, int opened, int completed, int stalled,
                       long maxGapMillis, double openSeconds) {
        double heapPerStreamKiB() {
            return baselineHeapKiB < 0 || heapKiB < 0 ? -1 : (heapKiB - baselineHeapKiB) / (double) streams;
        }

        double rssPerStreamKiB() {
            return (rssKiB - baselineRssKiB) / (double) streams;
        }
    }

    /**
     * Opens {@code n} long streams (1 event a second) about 1 ms apart, measures the gateway's memory and threads
     * once all are open, then waits for all to finish. A stream stalls when it fails, ends early or goes 5 s without
     * an event.
     */
    private HeldStreams holdStreams(Target t, Process gateway, int n) throws Exception {
        boolean jvm = gateway == proxy;
        long pid = gateway.pid();
        Thread.sleep(1000);
        long baseHeap = jvm ? heapAfterGcKiB(pid) : -1;
        long baseRss = rssKiB(pid);
        long baseThreads = threads(pid);
        int events = n >= 5000 ? 25 : 15;
        String path = "/v1/responses";
        String body = streamBody(path, events, 1000);
        CountDownLatch opened = new CountDownLatch(n);
        ConcurrentLinkedQueue<StreamTrace> traces = new ConcurrentLinkedQueue<>();
        AtomicInteger started = new AtomicInteger();
        long t0 = System.nanoTime();
        long heap;
        long rss;
        long thr;
        double openSeconds;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                pool.submit(() -> {
                    started.incrementAndGet();
                    traces.add(stream(t, path, body, Duration.ofSeconds(60), opened));
                });
                LockSupport.parkNanos(1_000_000);
            }
            opened.await(120, TimeUnit.SECONDS);
            openSeconds = (System.nanoTime() - t0) / 1e9;
            heap = jvm ? heapAfterGcKiB(pid) : -1;
            rss = rssKiB(pid);
            thr = threads(pid);
        }
        int completed = 0;
        int stalled = 0;
        long maxGap = 0;
        int expected = events + 2; // created, deltas, completed
        for (StreamTrace trace : traces) {
            long worst = trace.events() > 0 ? trace.eventNanos()[0] : Long.MAX_VALUE;
            for (int i = 1; i < trace.events(); i++) {
                worst = Math.max(worst, trace.eventNanos()[i] - trace.eventNanos()[i - 1]);
            }
            boolean ok = trace.complete() && trace.events() >= expected;
            if (ok) {
                completed++;
            }
            if (!ok || worst > 5_000_000_000L) {
                stalled++;
            }
            if (trace.events() > 1) {
                maxGap = Math.max(maxGap, worst);
            }
        }
        HeldStreams h = new HeldStreams(t.label(), n, baseHeap, heap, baseRss, rss, baseThreads, thr,
                n - (int) opened.getCount(), completed, stalled, maxGap / 1_000_000, openSeconds);
        say(String.format(Locale.ROOT, "%s %d streams: heap %d -> %d KiB (%.1f KiB/stream), RSS %d -> %d MiB "
                        + "(%.1f KiB/stream), threads %d -> %d, completed %d, stalled %d, max gap %d ms",
                h.target(), n, baseHeap, heap, h.heapPerStreamKiB(), baseRss / 1024, rss / 1024, h.rssPerStreamKiB(),
                baseThreads, thr, completed, stalled, h.maxGapMillis()));
        return h;
    }

    // --------------------------------------------------------------------------------------------- utilities

    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static long median(List<Long> values) {
        return percentile(values, 50);
    }

    private String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // keep the placeholder
        }
        long memKiB = procMeminfo();
        String nodeVersion = "";
        String wrkVersion = "";
        try {
            nodeVersion = run(List.of(node, "--version")).trim();
        } catch (IOException | InterruptedException e) {
            nodeVersion = "n/a";
        }
        try {
            wrkVersion = run(List.of("wrk", "--version")).lines().findFirst().orElse("").trim();
        } catch (IOException | InterruptedException e) {
            wrkVersion = "n/a";
        }
        return String.format(Locale.ROOT, "- Machine: %d cores (%s), %.1f GiB RAM, %s %s; load average at start %s, "
                        + "at end %s (other work on the machine competes for the same 2 cores)\n- JDK: %s %s (%s)\n"
                        + "- Load generator: %s (non-streamed); a virtual-thread socket client in Bench.java (streams)\n"
                        + "- Peer: @portkey-ai/gateway 1.15.2 on Node %s\n",
                Runtime.getRuntime().availableProcessors(), cpu, memKiB / 1024.0 / 1024.0,
                System.getProperty("os.name"), System.getProperty("os.version"), loadAtStart, loadAverage(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"), wrkVersion,
                nodeVersion);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static long procMeminfo() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private void say(String line) {
        System.out.println(line);
        log.append(line).append('\n');
    }

    // ----------------------------------------------------------------------------------------------- the report

    /** Renders RESULTS.md from the measurements. */
    static final class Report {
        private Report() {
        }

        static String render(String started, long seconds, boolean quick, String machine, Startup pg, Startup peer,
                             Map<String, Map<String, List<WrkResult>>> nonStreamed,
                             Map<String, Map<String, List<StreamStats>>> streamed,
                             Map<String, long[]> crowdedCpu, List<HeldStreams> held, long peakRssKiB,
                             boolean withPeer) {
            StringBuilder md = new StringBuilder();
            md.append("# ProxyGate benchmark results\n\n")
                    .append("Generated by `testdata/bench/run.sh").append(quick ? " --quick" : "").append("` on ")
                    .append(started).append(" in ").append(seconds).append(" s. See `README.md` beside this file for "
                            + "what each scenario does and how to read it.\n\n")
                    .append(machine).append('\n')
                    .append("**A** = straight to the bench upstream, **B** = through ProxyGate, **C** = through the peer "
                            + "gateway (Portkey). Everything runs on the same 2-core machine, load generator included, so "
                            + "absolute numbers are modest; the *added* columns (B−A, C−A) are what a gateway costs. "
                            + "Each cell is the mean over rounds run in alternating order (ABC, CBA).\n\n");
            List<String> verdicts = new ArrayList<>();

            md.append("## 1. Non-streamed requests\n\n")
                    .append("Latency in ms (wrk, per request, keep-alive connections).\n\n")
                    .append("| load | target | req/s | p50 | p99 | p99.9 | added p50 | added p99 | added p99.9 | errors |\n")
                    .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            Map<String, Double> saturation = new LinkedHashMap<>();
            for (var e : nonStreamed.entrySet()) {
                Map<String, List<WrkResult>> byTarget = e.getValue();
                double a50 = mean(byTarget.get("A"), WrkResult::p50);
                double a99 = mean(byTarget.get("A"), WrkResult::p99);
                double a999 = mean(byTarget.get("A"), WrkResult::p999);
                for (var t : byTarget.entrySet()) {
                    List<WrkResult> rs = t.getValue();
                    double rps = rs.stream().mapToDouble(WrkResult::rps).average().orElse(0);
                    double p50 = mean(rs, WrkResult::p50);
                    double p99 = mean(rs, WrkResult::p99);
                    double p999 = mean(rs, WrkResult::p999);
                    long errors = rs.stream().mapToLong(WrkResult::errors).sum();
                    boolean a = t.getKey().equals("A");
                    md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.3f | %.3f | %.3f | %s | %s | %s | %d |\n",
                            e.getKey(), label(t.getKey()), rps, p50 / 1000, p99 / 1000, p999 / 1000,
                            a ? "" : String.format(Locale.ROOT, "%+.3f", (p50 - a50) / 1000),
                            a ? "" : String.format(Locale.ROOT, "%+.3f", (p99 - a99) / 1000),
                            a ? "" : String.format(Locale.ROOT, "%+.3f", (p999 - a999) / 1000), errors));
                    if (e.getKey().contains("saturation")) {
                        saturation.put(e.getKey() + "/" + t.getKey(), rps);
                    }
                    if (t.getKey().equals("B")
                            && (e.getKey().contains("@ 500 req/s") || e.getKey().contains("@ 1000 req/s"))) {
                        verdicts.add(verdict("added latency p50 ≤ 0.3 ms (" + e.getKey() + ")",
                                (p50 - a50) / 1000 <= 0.3, String.format(Locale.ROOT, "%.3f ms", (p50 - a50) / 1000)));
                        verdicts.add(verdict("added latency p99 ≤ 1 ms (" + e.getKey() + ")",
                                (p99 - a99) / 1000 <= 1.0, String.format(Locale.ROOT, "%.3f ms", (p99 - a99) / 1000)));
                    }
                }
            }
            md.append('\n');
            for (String path : List.of("/v1/chat/completions", "/v1/responses")) {
                String key = path + " @ saturation";
                Double a = saturation.get(key + "/A");
                Double b = saturation.get(key + "/B");
                Double c = saturation.get(key + "/C");
                if (b != null) {
                    md.append(String.format(Locale.ROOT, "- %s at saturation: ProxyGate %.0f req/s = %.2f× direct", path,
                            b, a == null ? 0 : b / a));
                    if (c != null) {
                        md.append(String.format(Locale.ROOT, ", %.2f× Portkey (%.0f req/s)", b / c, c));
                        verdicts.add(verdict("throughput at saturation ≥ 12× the peer (" + path + ")", b / c >= 12,
                                String.format(Locale.ROOT, "%.2f×", b / c)));
                    }
                    if (a != null) {
                        verdicts.add(verdict("throughput at saturation ≥ 30 % of direct (" + path + ")", b / a >= 0.3,
                                String.format(Locale.ROOT, "%.0f %%", 100 * b / a)));
                    }
                    md.append(".\n");
                }
            }

            md.append("\n## 2. Streamed requests (50 events, 20 ms apart)\n\n")
                    .append("TTFB = request sent → first SSE event complete at the client. Gap error = |gap between "
                            + "consecutive delta events − 20 ms| at the client. In ms.\n\n")
                    .append("| route | target | streams ok | TTFB p50 | TTFB p99 | added TTFB p50 | added TTFB p99 | "
                            + "gap error p50 | gap error p99 | added gap error p99 | max gap |\n")
                    .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (var e : streamed.entrySet()) {
                Map<String, List<StreamStats>> byTarget = e.getValue();
                double a50 = mean(byTarget.get("A"), StreamStats::ttfbP50);
                double a99 = mean(byTarget.get("A"), StreamStats::ttfbP99);
                double aj99 = mean(byTarget.get("A"), StreamStats::jitterP99);
                for (var t : byTarget.entrySet()) {
                    List<StreamStats> ss = t.getValue();
                    double p50 = mean(ss, StreamStats::ttfbP50);
                    double p99 = mean(ss, StreamStats::ttfbP99);
                    double j50 = mean(ss, StreamStats::jitterP50);
                    double j99 = mean(ss, StreamStats::jitterP99);
                    long max = ss.stream().mapToLong(StreamStats::maxGap).max().orElse(0);
                    int ok = ss.stream().mapToInt(StreamStats::completed).sum();
                    int total = ss.stream().mapToInt(StreamStats::total).sum();
                    boolean a = t.getKey().equals("A");
                    md.append(String.format(Locale.ROOT, "| %s | %s | %d/%d | %.3f | %.3f | %s | %s | %.3f | %.3f | %s | %.1f |\n",
                            e.getKey(), label(t.getKey()), ok, total, p50 / 1e6, p99 / 1e6,
                            a ? "" : String.format(Locale.ROOT, "%+.3f", (p50 - a50) / 1e6),
                            a ? "" : String.format(Locale.ROOT, "%+.3f", (p99 - a99) / 1e6),
                            j50 / 1e6, j99 / 1e6, a ? "" : String.format(Locale.ROOT, "%+.3f", (j99 - aj99) / 1e6),
                            max / 1e6));
                    if (t.getKey().equals("B") && e.getKey().equals(CROWDED)) {
                        verdicts.add(verdict("added TTFB ≤ 3 ms p50 at 200 concurrent streams", (p50 - a50) / 1e6 <= 3.0,
                                String.format(Locale.ROOT, "%.3f ms", (p50 - a50) / 1e6)));
                    } else if (t.getKey().equals("B") && !e.getKey().equals(TRANSLATED)
                            && !e.getKey().equals(ALONGSIDE_TRANSLATED)) {
                        verdicts.add(verdict("added TTFB ≤ 1 ms p50 (" + e.getKey() + ", 20 streams)",
                                (p50 - a50) / 1e6 <= 1.0, String.format(Locale.ROOT, "%.3f ms", (p50 - a50) / 1e6)));
                        verdicts.add(verdict("added TTFB ≤ 3 ms p99 (" + e.getKey() + ", 20 streams)",
                                (p99 - a99) / 1e6 <= 3.0, String.format(Locale.ROOT, "%.3f ms", (p99 - a99) / 1e6)));
                        verdicts.add(verdict("no event delayed > 1 ms beyond the upstream's pacing, p99 (" + e.getKey()
                                + ")", (j99 - aj99) / 1e6 <= 1.0, String.format(Locale.ROOT, "%+.3f ms", (j99 - aj99) / 1e6)));
                    }
                }
            }

            Map<String, List<StreamStats>> translatedRow = streamed.get(TRANSLATED);
            Map<String, List<StreamStats>> messagesRow = streamed.get(ALONGSIDE_TRANSLATED);
            if (translatedRow != null && translatedRow.containsKey("B") && messagesRow != null
                    && messagesRow.containsKey("B")) {
                // Translation's own cost, for the same client at the same moment: what the gateway adds to a Messages
                // client's TTFB when the stream is translated from a Responses upstream, against what it adds to the
                // untranslated Messages streams run alternately with them. Each "added" is over its own upstream
                // fetched directly (also alternately), so the two upstreams' own speeds cancel.
                double translatedAdded = (mean(translatedRow.get("B"), StreamStats::ttfbP50)
                        - mean(translatedRow.get("A"), StreamStats::ttfbP50)) / 1e6;
                double plainAdded = (mean(messagesRow.get("B"), StreamStats::ttfbP50)
                        - mean(messagesRow.get("A"), StreamStats::ttfbP50)) / 1e6;
                double added = translatedAdded - plainAdded;
                md.append(String.format(Locale.ROOT, "\nTranslation adds %+.3f ms to a Messages client's added TTFB p50 "
                        + "(%+.3f ms translated from a Responses upstream, %+.3f ms from a Messages upstream as is, the two "
                        + "run alternately in the same %d rounds).\n",
                        added, translatedAdded, plainAdded, translatedRow.get("B").size()));
                verdicts.add(verdict("translation TTFB overhead ≤ 0.2 ms (p50, over the untranslated Messages path)",
                        added <= 0.2, String.format(Locale.ROOT, "%.3f ms", added)));
            }

            if (crowdedCpu.containsKey("A") && crowdedCpu.containsKey("B")) {
                md.append("\nEvents per CPU-second in the 200-stream scenario, counting only the serving process's CPU "
                        + "(the upstream's for A; the gateway's alone for B and C):");
                double direct = perCpuSecond(crowdedCpu.get("A"));
                for (var e : crowdedCpu.entrySet()) {
                    md.append(String.format(Locale.ROOT, " %s %.0f;", label(e.getKey()), perCpuSecond(e.getValue())));
                }
                md.append('\n');
                double gateway = perCpuSecond(crowdedCpu.get("B"));
                verdicts.add(verdict("events relayed per CPU-second ≥ 80 % of direct's", gateway >= 0.8 * direct,
                        String.format(Locale.ROOT, "%.0f %% (%.0f against %.0f)", 100 * gateway / direct, gateway,
                                direct)));
            }

            md.append("\n## 3. Many concurrent long streams (`/v1/responses`, 1 event a second)\n\n")
                    .append("Measured once every stream has its first event. Heap = live heap after a full GC "
                            + "(`jcmd GC.run` + `GC.heap_info`; JVM only); RSS from `/proc/<pid>/status`. Per stream = "
                            + "(with streams − idle before) / streams. A stream *stalls* when it fails, ends short, or "
                            + "waits more than 5 s for an event.\n\n")
                    .append("| gateway | streams | opened | heap after GC (MiB) | heap/stream (KiB) | RSS (MiB) | "
                            + "RSS/stream (KiB) | threads (idle → loaded) | completed | stalled | max gap (ms) |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
            for (HeldStreams h : held) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %d | %.1f | %d → %d | %d | %d | %d |\n",
                        h.target(), h.streams(), h.opened(),
                        h.heapKiB() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", h.heapKiB() / 1024.0),
                        h.heapKiB() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", h.heapPerStreamKiB()),
                        h.rssKiB() / 1024, h.rssPerStreamKiB(), h.baselineThreads(), h.threads(), h.completed(),
                        h.stalled(), h.maxGapMillis()));
                if (h.target().equals("ProxyGate")) {
                    verdicts.add(verdict(h.streams() + " concurrent streams: no stall", h.stalled() == 0,
                            h.stalled() + " stalled"));
                    verdicts.add(verdict(h.streams() + " concurrent streams: heap ≤ 512 MiB",
                            h.heapKiB() >= 0 && h.heapKiB() <= 512 * 1024,
                            String.format(Locale.ROOT, "%.1f MiB", h.heapKiB() / 1024.0)));
                    if (h.streams() >= 5000) {
                        verdicts.add(verdict(h.streams() + " concurrent streams: RSS ≤ 512 MiB",
                                h.rssKiB() <= 512 * 1024, h.rssKiB() / 1024 + " MiB"));
                    }
                    verdicts.add(verdict(h.streams() + " concurrent streams: heap per idle stream ≤ 32 KiB",
                            h.heapPerStreamKiB() >= 0 && h.heapPerStreamKiB() <= 32,
                            String.format(Locale.ROOT, "%.1f KiB heap, %.1f KiB RSS", h.heapPerStreamKiB(),
                                    h.rssPerStreamKiB())));
                }
            }

            md.append("\n## 4. Start-up and idle memory\n\n")
                    .append("Time from process start (`./proxy-gate serve`, the launcher; `node start-server.js` for the "
                            + "peer) to the first 200 from the health route (`/healthz`; the peer's `/`); idle RSS 3 s "
                            + "after that. ProxyGate's first start is *cold*: the launcher's start-up cache (AOT cache on JDK 25) does not "
                            + "exist yet and is written when that process stops; *warm* is the median of the later "
                            + "starts, which is what every start after the first costs.\n\n")
                    .append("| gateway | runs | cold start (ms) | warm start, median (ms) | idle RSS, median (MiB) | all starts (ms) |\n"
                            + "|---|---:|---:|---:|---:|---|\n");
            md.append(String.format(Locale.ROOT, "| ProxyGate | %d | %d | %d | %.0f | %s |\n", pg.millis().size(),
                    pg.coldMillis(), pg.warmMillis(), pg.warmRssKiB() / 1024.0, pg.millis()));
            if (peer != null) {
                md.append(String.format(Locale.ROOT, "| Portkey | %d | – | %d | %.0f | %s |\n", peer.millis().size(),
                        peer.medianMillis(), peer.medianRssKiB() / 1024.0, peer.millis()));
            }
            verdicts.add(verdict("warm start ≤ 1 s to healthy", pg.warmMillis() <= 1000, pg.warmMillis() + " ms"));
            verdicts.add(verdict("cold start ≤ 3 s to healthy", pg.coldMillis() <= 3000, pg.coldMillis() + " ms"));
            verdicts.add(verdict("idle RSS ≤ 128 MiB", pg.warmRssKiB() <= 128 * 1024,
                    String.format(Locale.ROOT, "%.0f MiB", pg.warmRssKiB() / 1024.0)));
            md.append(String.format(Locale.ROOT, "\nPeak RSS of the ProxyGate server that ran scenarios 1–3 (started "
                    + "by the launcher with its shipped JVM settings, sampled every 250 ms): %d MiB.\n",
                    peakRssKiB / 1024));
            verdicts.add(verdict("RSS ≤ 256 MiB through the whole bench (shipped settings)",
                    peakRssKiB <= 256 * 1024, peakRssKiB / 1024 + " MiB peak"));
            if (!withPeer) {
                md.append("\nThe peer gateway was not installed, so its columns are missing.\n");
            }

            md.append("\n## Targets\n\n| target | result | measured |\n|---|---|---|\n");
            for (String v : verdicts) {
                md.append(v);
            }
            if (verdicts.stream().anyMatch(v -> v.contains("**missed**"))) {
                md.append("\nWhy a target is missed, what profiling found and what changed because of it: "
                        + "[README.md](README.md#what-the-benchmark-found-and-what-changed-because-of-it).\n");
            }
            return md.toString();
        }

        private static double perCpuSecond(long[] eventsAndCpuMillis) {
            return eventsAndCpuMillis[1] <= 0 ? 0 : eventsAndCpuMillis[0] * 1000.0 / eventsAndCpuMillis[1];
        }

        private static String verdict(String what, boolean met, String measured) {
            return "| " + what + " | " + (met ? "met" : "**missed**") + " | " + measured + " |\n";
        }

        private static String label(String key) {
            return switch (key) {
                case "A" -> "A direct";
                case "B" -> "B ProxyGate";
                default -> "C Portkey";
            };
        }

        private static <T> double mean(List<T> values, java.util.function.ToLongFunction<T> f) {
            return values == null ? 0 : values.stream().mapToLong(f).average().orElse(0);
        }
    }
}
