package io.proxygate.adapter.out.upstream.vertex;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tokens from the gcloud CLI ({@code gcloud auth print-access-token}), for machines where only gcloud is logged in.
 * The CLI does not say when its token expires; gcloud tokens live an hour, so one is reused for {@code ttl}
 * (50 minutes by default) and then fetched again. One fetch at a time; a fetch that outlasts {@code timeout} is
 * killed.
 */
public final class GcloudTokenSource implements GoogleTokenSource {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(50);
    private static final int MAX_OUTPUT = 16 * 1024;

    private final List<String> command;
    private final Duration timeout;
    private final Duration ttl;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private String token;
    private Instant fetchedAt;

    public GcloudTokenSource(Path gcloud, InstantSource clock) {
        this(gcloud, DEFAULT_TIMEOUT, DEFAULT_TTL, clock);
    }

    public GcloudTokenSource(Path gcloud, Duration timeout, Duration ttl, InstantSource clock) {
        this.command = List.of(gcloud.toString(), "auth", "print-access-token", "--quiet");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String method() {
        return "gcloud";
    }

    @Override
    public String accessToken() throws IOException {
        lock.lock();
        try {
            Instant now = clock.instant();
            if (token != null && now.isBefore(fetchedAt.plus(ttl))) {
                return token;
            }
            String fresh = fetch();
            token = fresh;
            fetchedAt = now;
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    private String fetch() throws IOException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        try {
            byte[] out = readLimited(process.getInputStream(), process);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("gcloud auth print-access-token did not finish within " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new IOException("gcloud auth print-access-token exited with " + process.exitValue());
            }
            String value = new String(out, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IOException("gcloud returned an empty access token");
            }
            return value;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running gcloud", e);
        }
    }

    /** Reads stdout on a helper thread so that a hung gcloud cannot hold us past the timeout. */
    private byte[] readLimited(InputStream in, Process process) throws IOException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[1024];
            int n;
            try (in) {
                while ((n = in.read(buf)) >= 0) {
                    synchronized (out) {
                        if (out.size() < MAX_OUTPUT) {
                            out.write(buf, 0, Math.min(n, MAX_OUTPUT - out.size()));
                        }
                    }
                }
            } catch (IOException e) {
                // the process was killed or closed its output: what we have is what we report
            }
        });
        if (!reader.join(timeout)) {
            process.destroyForcibly();
            reader.interrupt();
            throw new IOException("gcloud auth print-access-token did not finish within " + timeout);
        }
        synchronized (out) {
            return out.toByteArray();
        }
    }
}
