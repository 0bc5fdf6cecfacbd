import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak test's load and judge (issue 28): against a running ProxyGate, keeps {@code STREAMS} server-sent-event
 * streams open the whole time (slow streams, one event a second for 40-80 s, each re-opened as soon as it ends) and
 * sends {@code RATE} non-streamed requests a second (chat completions and responses, alternating, on a fixed
 * schedule); every interval it samples the gateway's live heap after a full GC, OS threads, open file descriptors
 * and RSS. After the warm-up it checks each against its growth bound and exits 1 naming every metric that broke one.
 * Run by {@code soak.sh}, which starts the bench upstream and ProxyGate through the launcher.
 *
 * <pre>java Soak PORT GATEWAY_PID DURATION OUT_DIR</pre>
 * DURATION is ISO-8601 ({@code PT30M}) or short ({@code 30m}, {@code 180s}). Settings from the environment:
 * SOAK_RATE (200), SOAK_STREAMS (500), SOAK_INTERVAL (60 s; DURATION/15, at least 10 s, for runs under 15 minutes),
 * SOAK_WARMUP (5m, at most a third of DURATION).
 */
public final class Soak {
    // --------------------------------------------------------------------------------------------- growth bounds
    // Stated here and printed at the start; SOAK.md explains each. Growth is the median of the last third of the
    // samples after the warm-up minus the median of their first third: with 500 streams open, one sample's live heap
    // moves by a few MiB with where each stream's virtual thread happens to be parked (the size of its stack chunk),
    // and a median over a third of the run is steady where a single sample is not, while a leak still moves it.
    static final double HEAP_GROWTH_FRACTION = 0.05;
    static final long HEAP_GROWTH_FLOOR_KIB = 4 * 1024;
    static final long THREAD_GROWTH = 10;
    static final long FD_GROWTH = 20;
    static final long RSS_GROWTH_KIB = 32 * 1024;
    /** The load must really have been there: every interval at least this share of the rate and of the streams. */
    static final double LOAD_FLOOR = 0.95;

    static final String CHAT_BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello.\"}],\"max_tokens\":16}";
    static final String RESPONSES_BODY = "{\"model\":\"gpt-4o-mini\",\"input\":\"Say hello.\",\"max_output_tokens\":16}";
    /** Event counts a stream may have (one a second); {@code soak.sh}'s config.toml maps the translated ones. */
    static final int[] STREAM_EVENTS = {40, 50, 60, 70, 80};

    record Sample(long second, long heapKiB, long threads, long fds, long rssKiB, long requests, long errors,
                  long streamsOpen, long streamsDone, long streamsFailed, long maxGapMillis) {
    }

    private final int port;
    private final long pid;
    private final Path out;
    private final String jcmd;

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong streamsOpen = new AtomicLong();
    private final AtomicLong streamsDone = new AtomicLong();
    private final AtomicLong streamsFailed = new AtomicLong();
    private final AtomicLong maxGapNanos = new AtomicLong();
    private final Map<String, AtomicInteger> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running = true;

    private Soak(int port, long pid, Path out) {
        this.port = port;
        this.pid = pid;
        this.out = out;
        this.jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd").toString();
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[1]);
        Duration duration = parseDuration(args[2]);
        Path out = Path.of(args[3]);
        int rate = Integer.parseInt(env("SOAK_RATE", "200"));
        int streams = Integer.parseInt(env("SOAK_STREAMS", "500"));
        Duration shortRunInterval = duration.dividedBy(15);
        Duration interval = parseDuration(env("SOAK_INTERVAL", Math.max(10, Math.min(60,
                shortRunInterval.toSeconds())) + "s"));
        Duration warmup = parseDuration(env("SOAK_WARMUP", "5m"));
        if (warmup.compareTo(duration.dividedBy(3)) > 0) {
            warmup = duration.dividedBy(3);
        }
        System.exit(new Soak(port, pid, out).run(duration, interval, warmup, rate, streams) ? 0 : 1);
    }

    private boolean run(Duration duration, Duration interval, Duration warmup, int rate, int streams)
            throws Exception {
        Files.createDirectories(out);
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String bounds = String.format(Locale.ROOT, "live heap after GC <= +%.0f %% or +%d MiB (whichever is larger), "
                        + "threads <= +%d, fds <= +%d, RSS <= +%d MiB, 0 errors, 0 failed streams; load >= %.0f %% of "
                        + "the rate and of the open streams at every sample", HEAP_GROWTH_FRACTION * 100,
                HEAP_GROWTH_FLOOR_KIB / 1024, THREAD_GROWTH, FD_GROWTH, RSS_GROWTH_KIB / 1024, LOAD_FLOOR * 100);
        say("soak " + duration + ": " + rate + " req/s non-streamed + " + streams + " open streams, a sample every "
                + interval.toSeconds() + " s, warm-up " + warmup.toSeconds() + " s");
        say("bounds (after the warm-up): " + bounds);

        List<Sample> samples = new ArrayList<>();
        samples.add(sample(0, 0, 0, 0, 0, 0));
        say(describe(samples.getFirst()));
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        List<Thread> requesters = paceRequests(rate);
        List<Thread> streamers = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            int lane = i;
            streamers.add(Thread.ofVirtual().start(() -> keepStreaming(lane)));
            LockSupport.parkNanos(20_000_000); // open them over 10 s, not in one burst
        }

        String baselineHisto = null;
        Map<String, Long> baselineFds = null;
        long baselineSecond = -1;
        long next = t0 + interval.toNanos();
        long prevRequests = 0;
        long prevErrors = 0;
        long prevDone = 0;
        long prevFailed = 0;
        while (next <= end + 1_000_000_000L) {
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            long second = Math.round((next - t0) / 1e9);
            long r = requests.get();
            long e = errors.get();
            long d = streamsDone.get();
            long f = streamsFailed.get();
            Sample s = sample(second, r - prevRequests, e - prevErrors, d - prevDone, f - prevFailed,
                    maxGapNanos.getAndSet(0) / 1_000_000);
            prevRequests = r;
            prevErrors = e;
            prevDone = d;
            prevFailed = f;
            samples.add(s);
            say(describe(s));
            if (baselineHisto == null && second >= warmup.toSeconds()) {
                baselineSecond = second;
                baselineHisto = jcmd("GC.class_histogram");
                Files.writeString(out.resolve("soak-histo-baseline.txt"), baselineHisto);
                Files.writeString(out.resolve("soak-threads-baseline.txt"), jcmd("Thread.print"));
                baselineFds = fdKinds();
            }
            next += interval.toNanos();
        }
        // Still under load, like the baseline: what differs between the two is what the run left behind.
        String endHisto = jcmd("GC.class_histogram");
        Files.writeString(out.resolve("soak-histo-end.txt"), endHisto);
        Files.writeString(out.resolve("soak-threads-end.txt"), jcmd("Thread.print"));
        Map<String, Long> endFds = fdKinds();
        running = false;
        for (Thread t : requesters) {
            t.join(15_000);
        }
        for (Thread t : streamers) {
            t.interrupt(); // closes its socket: the gateway sees clients hang up, as it does every day
        }

        // ---------------------------------------------------------------------------------------------- judge
        List<Sample> measured = samples.stream().filter(x -> x.second() >= warmup.toSeconds()).toList();
        List<String> verdicts = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        if (measured.size() < 2) {
            failures.add("too few samples after the warm-up (" + measured.size() + "): make the run longer");
        } else {
            int k = Math.max(1, measured.size() / 3);
            List<Sample> head = measured.subList(0, k);
            List<Sample> tail = measured.subList(measured.size() - k, measured.size());
            long heapFrom = median(head, Sample::heapKiB);
            long heapTo = median(tail, Sample::heapKiB);
            long heapBound = Math.max(HEAP_GROWTH_FLOOR_KIB, Math.round(heapFrom * HEAP_GROWTH_FRACTION));
            check(verdicts, failures, "live heap after GC", heapFrom, heapTo, heapBound, "KiB");
            check(verdicts, failures, "threads", median(head, Sample::threads), median(tail, Sample::threads),
                    THREAD_GROWTH, "");
            check(verdicts, failures, "file descriptors", median(head, Sample::fds), median(tail, Sample::fds),
                    FD_GROWTH, "");
            check(verdicts, failures, "RSS", median(head, Sample::rssKiB), median(tail, Sample::rssKiB),
                    RSS_GROWTH_KIB, "KiB");
        }
        long totalErrors = samples.stream().mapToLong(Sample::errors).sum();
        long totalFailed = samples.stream().mapToLong(Sample::streamsFailed).sum();
        long totalRequests = samples.stream().mapToLong(Sample::requests).sum();
        long totalStreams = samples.stream().mapToLong(Sample::streamsDone).sum();
        String errorLine = String.format(Locale.ROOT, "errors: %d of %d requests, %d failed of %d streams%s",
                totalErrors, totalRequests, totalFailed, totalStreams,
                errorKinds.isEmpty() ? "" : " " + new TreeMap<>(errorKinds));
        if (totalErrors > 0 || totalFailed > 0) {
            failures.add("SOAK FAILED: " + errorLine + " (bound: 0)");
        } else {
            verdicts.add("ok: " + errorLine);
        }
        long expectedPerInterval = Math.round(rate * interval.toSeconds() * LOAD_FLOOR);
        for (Sample s : measured) { // the warm-up includes opening the streams
            if (s.requests() < expectedPerInterval || s.streamsOpen() < streams * LOAD_FLOOR) {
                failures.add(String.format(Locale.ROOT, "SOAK FAILED: load at t=%d s: %d requests (expected >= %d), "
                                + "%d streams open (expected >= %.0f); the machine could not keep the load up, "
                                + "so the run does not show what it should", s.second(), s.requests(),
                        expectedPerInterval, s.streamsOpen(), streams * LOAD_FLOOR));
                break;
            }
        }
        String histoDiff = baselineHisto == null ? "" : histogramGrowth(baselineHisto, endHisto, 12);

        StringBuilder md = new StringBuilder();
        md.append("Run `soak.sh ").append(duration).append("` started ").append(started).append(": ").append(rate)
                .append(" req/s non-streamed + ").append(streams).append(" open streams; warm-up ")
                .append(warmup.toSeconds()).append(" s; a sample every ").append(interval.toSeconds()).append(" s")
                .append(baselineSecond >= 0 ? " (growth judged from t=" + baselineSecond + " s)" : "")
                .append(".\nLoad average at the end: ").append(Bench.loadAverage()).append(".\n\n")
                .append("Bounds: ").append(bounds).append(".\n\n")
                .append("| t (s) | live heap after full GC (KiB) | threads | fds | RSS (MiB) | requests | errors | streams open "
                        + "| streams done | failed | max event gap (ms) |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Sample s : samples) {
            md.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n",
                    s.second(), s.heapKiB(), s.threads(), s.fds(), s.rssKiB() / 1024, s.requests(), s.errors(),
                    s.streamsOpen(), s.streamsDone(), s.streamsFailed(), s.maxGapMillis()));
        }
        md.append('\n');
        verdicts.forEach(v -> md.append("- ").append(v).append('\n'));
        failures.forEach(v -> md.append("- **").append(v).append("**\n"));
        if (baselineFds != null) {
            md.append("\nOpen file descriptors by kind, at t=").append(baselineSecond).append(" s: ")
                    .append(baselineFds).append("; at the end: ").append(endFds).append('\n');
        }
        if (!histoDiff.isEmpty()) {
            md.append("\nLargest growth in the class histogram (live objects) from t=").append(baselineSecond)
                    .append(" s to the end (full histograms in `out/soak-histo-*.txt`, thread dumps in `out/soak-threads-*.txt`):\n\n```\n").append(histoDiff)
                    .append("```\n");
        }
        Files.writeString(out.resolve("soak.md"), md.toString());
        verdicts.forEach(Soak::say);
        failures.forEach(Soak::say);
        say("wrote " + out.resolve("soak.md"));
        return failures.isEmpty();
    }

    private static void check(List<String> verdicts, List<String> failures, String metric, long from, long to,
                              long bound, String unit) {
        String u = unit.isEmpty() ? "" : " " + unit;
        String line = String.format(Locale.ROOT, "%s: %d%s -> %d%s, growth %+d%s (bound +%d%s)", metric, from, u, to,
                u, to - from, u, bound, u);
        if (to - from > bound) {
            failures.add("SOAK FAILED: " + line);
        } else {
            verdicts.add("ok: " + line);
        }
    }

    private static long median(List<Sample> samples, java.util.function.ToLongFunction<Sample> f) {
        long[] v = samples.stream().mapToLong(f).sorted().toArray();
        return v[(v.length - 1) / 2];
    }

    // ------------------------------------------------------------------------------------------------- load

    /** Keep-alive connections for the non-streamed load, fixed like wrk's: the gateway's sockets do not follow bursts. */
    static final int CONNECTIONS = 20;

    private long nextSlot;

    /**
     * The next slot of one schedule, 1/RATE apart, shared by every connection (so they never fire in lockstep). A
     * connection that fell more than a second behind starts afresh instead of bursting to catch up.
     */
    private synchronized long takeSlot(long step) {
        long now = System.nanoTime();
        if (nextSlot < now - 1_000_000_000L) {
            nextSlot = now;
        }
        long slot = nextSlot;
        nextSlot += step;
        return slot;
    }

    /** RATE requests a second over {@link #CONNECTIONS} keep-alive connections, chat and responses alternating. */
    private List<Thread> paceRequests(int rate) {
        long step = 1_000_000_000L / rate;
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            String path = c % 2 == 0 ? "/v1/chat/completions" : "/v1/responses";
            byte[] request = request(path, c % 2 == 0 ? CHAT_BODY : RESPONSES_BODY);
            workers.add(Thread.ofVirtual().start(() -> keepRequesting(request, step)));
        }
        return workers;
    }

    private byte[] request(String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json"
                + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(h, h.length + bytes.length);
        System.arraycopy(bytes, 0, all, h.length, bytes.length);
        return all;
    }

    /** One keep-alive connection: a request at each slot it takes; on any failure it counts an error and reconnects. */
    private void keepRequesting(byte[] request, long step) {
        Socket socket = null;
        InputStream in = null;
        while (running) {
            long slot = takeSlot(step);
            LockSupport.parkNanos(slot - System.nanoTime());
            if (!running) {
                break;
            }
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(10_000);
                    in = new BufferedInputStream(socket.getInputStream(), 8192);
                }
                socket.getOutputStream().write(request);
                String failure = readReply(in);
                requests.incrementAndGet();
                if (failure != null) {
                    error(failure);
                }
            } catch (IOException e) {
                if (!running) {
                    break;
                }
                requests.incrementAndGet();
                error("request " + e.getClass().getSimpleName());
                closeQuietly(socket);
                socket = null;
            }
        }
        closeQuietly(socket);
    }

    /** Reads one reply; null when it is a 200 with usage in its JSON, else what was wrong. */
    private static String readReply(InputStream in) throws IOException {
        String status = Bench.line(in);
        if (status == null) {
            throw new IOException("connection closed before the reply");
        }
        long length = -1;
        boolean chunked = false;
        String h;
        while ((h = Bench.line(in)) != null && !h.isEmpty()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            }
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
        }
        byte[] body = chunked ? new Bench.BodyReader(in, true).readAllBytes() : in.readNBytes((int) Math.max(0, length));
        if (!status.contains(" 200")) {
            return "request " + status;
        }
        return new String(body, StandardCharsets.UTF_8).contains("\"usage\"") ? null : "request 200 without usage";
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private void error(String kind) {
        errors.incrementAndGet();
        errorKinds.computeIfAbsent(kind, x -> new AtomicInteger()).incrementAndGet();
    }

    /** One of the open streams: re-opened as soon as it ends, until the end of the soak. */
    private void keepStreaming(int lane) {
        String[] paths = {"/v1/responses", "/v1/messages", "/v1/chat/completions", "/v1/messages"};
        String path = paths[lane % paths.length];
        boolean translated = lane % paths.length == 3;
        while (running) {
            int events = STREAM_EVENTS[ThreadLocalRandom.current().nextInt(STREAM_EVENTS.length)];
            String failure = stream(path, body(path, translated, events), events, translated);
            if (failure == null) {
                streamsDone.incrementAndGet();
            } else if (running) {
                streamsDone.incrementAndGet();
                streamsFailed.incrementAndGet();
                errorKinds.computeIfAbsent("stream " + failure, x -> new AtomicInteger()).incrementAndGet();
                LockSupport.parkNanos(1_000_000_000L); // a failing gateway is not hammered by 500 reconnect loops
            }
        }
    }

    /** A Messages client may ask for claude-xlate-*, which soak.sh's config.toml maps to the Responses upstream. */
    static String body(String path, boolean translated, int events) {
        if (path.equals("/v1/messages")) {
            String model = (translated ? "claude-xlate-e" : "claude-bench-e") + events + "-g1000";
            return "{\"model\":\"" + model + "\",\"max_tokens\":256,\"stream\":true,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"Say hello.\"}]}";
        }
        if (path.equals("/v1/chat/completions")) {
            return "{\"model\":\"gpt-bench-e" + events + "-g1000\",\"stream\":true,\"stream_options\":"
                    + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
        }
        return "{\"model\":\"gpt-bench-e" + events + "-g1000\",\"stream\":true,\"input\":\"Say hello.\"}";
    }

    /**
     * One stream over a plain socket ({@code Connection: close}); null when it ended with its API's last event and at
     * least {@code events} events before it, else what went wrong.
     */
    private String stream(String path, String body, int events, boolean translated) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean open = false;
        try (Socket socket = new Socket()) {
            streamsOpen.incrementAndGet();
            open = true;
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000);
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json"
                    + "\r\nAccept: text/event-stream\r\nanthropic-version: 2023-06-01\r\nContent-Length: "
                    + bytes.length + "\r\nConnection: close\r\n\r\n";
            OutputStream o = socket.getOutputStream();
            o.write(head.getBytes(StandardCharsets.US_ASCII));
            o.write(bytes);
            o.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            String status = Bench.line(in);
            if (status == null || !status.contains(" 200")) {
                return "status " + status;
            }
            boolean chunked = false;
            String h;
            while ((h = Bench.line(in)) != null && !h.isEmpty()) {
                String lower = h.toLowerCase(Locale.ROOT);
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            InputStream sse = new Bench.BodyReader(in, chunked);
            int seen = 0;
            String last = "";
            long previous = System.nanoTime();
            StringBuilder event = new StringBuilder();
            String l;
            while ((l = Bench.line(sse)) != null) {
                if (l.isEmpty()) {
                    if (!event.isEmpty()) {
                        seen++;
                        last = event.toString();
                        event.setLength(0);
                        long now = System.nanoTime();
                        maxGapNanos.accumulateAndGet(now - previous, Math::max);
                        previous = now;
                    }
                    continue;
                }
                event.append(l).append('\n');
            }
            String terminal = path.equals("/v1/chat/completions") ? "data: [DONE]"
                    : path.equals("/v1/messages") ? "message_stop" : "response.completed";
            if (!last.contains(terminal)) {
                return "ended without " + terminal + " (" + seen + " events)";
            }
            return seen >= events ? null : "only " + seen + " events";
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        } finally {
            if (open) {
                streamsOpen.decrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- samples

    private Sample sample(long second, long requestsDelta, long errorsDelta, long doneDelta, long failedDelta,
                          long maxGapMillis) throws IOException, InterruptedException {
        long open = streamsOpen.get();
        long fds = fdCount();
        long heap = liveHeapKiB();
        return new Sample(second, heap, status("Threads"), fds, status("VmRSS"), requestsDelta, errorsDelta, open,
                doneDelta, failedDelta, maxGapMillis);
    }

    private static String describe(Sample s) {
        return String.format(Locale.ROOT, "t=%5ds live heap after GC %6d KiB, threads %3d, fds %5d, RSS %4d MiB, "
                        + "%6d requests (%d errors), %4d streams open, %5d done (%d failed), max gap %d ms",
                s.second(), s.heapKiB(), s.threads(), s.fds(), s.rssKiB() / 1024, s.requests(), s.errors(),
                s.streamsOpen(), s.streamsDone(), s.streamsFailed(), s.maxGapMillis());
    }

    /**
     * Live heap after a full GC: the total of {@code GC.class_histogram}, which collects and counts in one VM
     * operation. {@code GC.run} followed by {@code GC.heap_info} is two attaches apart, and under this load the young
     * generation refills in between: its "used" swung by 10 MiB from sample to sample on a flat live heap.
     */
    private long liveHeapKiB() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(jcmd("GC.class_histogram"));
        return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    }

    private long status(String field) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(field + ":")) {
                return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private long fdCount() {
        String[] list = new java.io.File("/proc/" + pid + "/fd").list();
        return list == null ? -1 : list.length;
    }

    /** Open descriptors by what they point at (socket, pipe, anon_inode:…, or the file's folder). */
    private Map<String, Long> fdKinds() {
        Map<String, Long> kinds = new TreeMap<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue;
                }
                String kind = target.contains(":[") ? target.substring(0, target.indexOf(":["))
                        : target.startsWith("/") ? Path.of(target).getParent() + "/" : target;
                kinds.merge(kind, 1L, Long::sum);
            }
        } catch (IOException e) {
            kinds.put("unreadable: " + e.getMessage(), 0L);
        }
        return kinds;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        byte[] text = p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return new String(text, StandardCharsets.UTF_8);
    }

    /** The classes whose live bytes grew most between two {@code GC.class_histogram} outputs. */
    static String histogramGrowth(String before, String after, int top) {
        Map<String, long[]> a = histogram(before);
        Map<String, long[]> b = histogram(after);
        List<Map.Entry<String, long[]>> growth = new ArrayList<>();
        b.forEach((cls, v) -> {
            long[] old = a.getOrDefault(cls, new long[2]);
            growth.add(Map.entry(cls, new long[]{v[0] - old[0], v[1] - old[1]}));
        });
        growth.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%12s %14s  %s%n", "instances", "bytes", "class"));
        growth.stream().limit(top).forEach(e -> sb.append(String.format(Locale.ROOT, "%+12d %+14d  %s%n",
                e.getValue()[0], e.getValue()[1], e.getKey())));
        return sb.toString();
    }

    private static Map<String, long[]> histogram(String text) {
        Map<String, long[]> m = new HashMap<>();
        Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
        for (String l : text.lines().toList()) {
            Matcher x = row.matcher(l);
            if (x.find()) {
                m.merge(x.group(3), new long[]{Long.parseLong(x.group(1)), Long.parseLong(x.group(2))},
                        (p, q) -> new long[]{p[0] + q[0], p[1] + q[1]});
            }
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------- utilities

    static Duration parseDuration(String s) {
        String t = s.trim();
        if (t.toUpperCase(Locale.ROOT).startsWith("PT")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        Matcher m = Pattern.compile("(\\d+)([smh]?)").matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("a duration like PT30M, 30m, 180s or 1h: " + s);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }


    private static void say(String line) {
        System.out.println(java.time.LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
        System.out.flush();
    }
}
