import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens N server-sent-event streams through a gateway against the bench upstream told to stall after its first
 * event ({@code gpt-bench-e1-g600000}: {@code response.created}, then ten minutes of silence), so every stream is
 * open and idle at once; then measures the gateway's live heap after a full GC, RSS and threads against the values
 * before, closes every stream and measures again. Run by {@code idle-streams.sh}.
 *
 * <pre>java IdleStreams PORT STREAMS GATEWAY_PID</pre>
 * Prints one {@code key=value} line per measurement on stdout.
 */
public final class IdleStreams {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        long pid = Long.parseLong(args[2]);
        String body = "{\"model\":\"gpt-bench-e1-g600000\",\"stream\":true,\"input\":\"Say hello.\"}";

        long baseHeap = heapAfterGcKiB(pid);
        long baseRss = status(pid, "VmRSS");
        long baseThreads = status(pid, "Threads");
        print("idle_heap_kib", baseHeap);
        print("idle_rss_kib", baseRss);
        print("idle_threads", baseThreads);

        CountDownLatch firstEvent = new CountDownLatch(n);
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    Socket s = open(port, body);
                    sockets.add(s);
                } catch (IOException e) {
                    failed.incrementAndGet();
                    if (errors.size() < 5) {
                        errors.add(e.toString());
                    }
                } finally {
                    firstEvent.countDown();
                }
            });
            LockSupport.parkNanos(500_000);
        }
        if (!firstEvent.await(180, TimeUnit.SECONDS)) {
            System.err.println("not every stream saw its first event within 180 s");
        }
        print("open_seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        print("streams_open", sockets.size());
        print("streams_failed", failed.get());
        errors.forEach(e -> System.err.println("stream error: " + e));
        Thread.sleep(3000);
        long heap = heapAfterGcKiB(pid);
        long rss = status(pid, "VmRSS");
        long threads = status(pid, "Threads");
        print("loaded_heap_kib", heap);
        print("loaded_rss_kib", rss);
        print("loaded_threads", threads);
        print("loaded_fds", fds(pid));
        int open = Math.max(1, sockets.size());
        print("heap_per_stream_kib", String.format(Locale.ROOT, "%.1f", (heap - baseHeap) / (double) open));
        print("rss_per_stream_kib", String.format(Locale.ROOT, "%.1f", (rss - baseRss) / (double) open));
        if (System.getenv("IDLE_STREAMS_HISTO") != null) {
            String histo = run(List.of(jcmd(), Long.toString(pid), "GC.class_histogram"));
            histo.lines().limit(40).forEach(l -> System.err.println("histo " + l));
        }
        String extra = System.getenv("IDLE_STREAMS_JCMD"); // e.g. "VM.native_memory summary" (needs NMT on)
        if (extra != null) {
            List<String> cmd = new java.util.ArrayList<>(List.of(jcmd(), Long.toString(pid)));
            cmd.addAll(List.of(extra.split(" ")));
            run(cmd).lines().forEach(l -> System.err.println("jcmd " + l));
        }

        for (Socket s : sockets) {
            s.close();
        }
        Thread.sleep(5000);
        print("after_close_heap_kib", heapAfterGcKiB(pid));
        print("after_close_rss_kib", status(pid, "VmRSS"));
        print("after_close_threads", status(pid, "Threads"));
    }

    /** Sends the request and returns once the first SSE event (blank-line terminated) has arrived. */
    private static Socket open(int port, String body) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
            socket.setSoTimeout(120_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Accept: text/event-stream\r\nContent-Length: " + bytes.length
                    + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 2048);
            String status = line(in);
            if (status == null || !status.contains(" 200")) {
                throw new IOException("status " + status);
            }
            int prev = -1;
            int b;
            boolean headersDone = false;
            // Headers end at the first blank line; the first event ends at the next one.
            while ((b = in.read()) >= 0) {
                if (b == '\r') {
                    continue;
                }
                if (b == '\n' && prev == '\n') {
                    if (headersDone) {
                        return socket;
                    }
                    headersDone = true;
                    prev = -1;
                    continue;
                }
                prev = b;
            }
            throw new IOException("stream ended before its first event");
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return sb.toString().trim();
            }
            sb.append((char) b);
        }
        return null;
    }

    private static void print(String key, Object value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }

    private static String jcmd() {
        return java.nio.file.Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd")
                .toString();
    }

    static long heapAfterGcKiB(long pid) throws IOException, InterruptedException {
        run(List.of(jcmd(), Long.toString(pid), "GC.run"));
        String info = run(List.of(jcmd(), Long.toString(pid), "GC.heap_info"));
        // G1, ZGC and Shenandoah print one heap line, Serial and Parallel one per generation (summed); each says "total".
        // Metaspace lines also say "used" and are not heap.
        long used = -1;
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("used (\\d+)K");
        for (String l : info.lines().toList()) {
            java.util.regex.Matcher m = p.matcher(l);
            if (l.contains(" total ") && m.find()) {
                used = Math.max(used, 0) + Long.parseLong(m.group(1));
            }
        }
        return used;
    }

    static long status(long pid, String field) throws IOException {
        for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(field + ":")) {
                return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    static long fds(long pid) {
        String[] list = new java.io.File("/proc/" + pid + "/fd").list();
        return list == null ? -1 : list.length;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }
}
