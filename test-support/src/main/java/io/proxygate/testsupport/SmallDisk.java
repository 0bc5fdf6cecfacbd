package io.proxygate.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited file system for disk-full tests: a tmpfs mounted on a temp directory (needs root and a kernel that
 * allows it; tests are skipped with the reason otherwise), plus a filler file that takes the free space.
 */
public final class SmallDisk implements AutoCloseable {
    private final Path mount;
    private final Path filler;

    private SmallDisk(Path mount) {
        this.mount = mount;
        this.filler = mount.resolve("filler.bin");
    }

    /** Mounts a tmpfs of {@code bytes} on {@code dir}, or skips the calling test with the reason. */
    public static SmallDisk mount(Path dir, long bytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(10, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(done && p.exitValue() == 0,
                "cannot mount a size-limited tmpfs here (needs root): " + out.strip());
        return new SmallDisk(dir);
    }

    public Path path() {
        return mount;
    }

    /** Writes a filler file until the file system reports it is full. */
    public void fill() throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // "No space left on device": that is the point
        }
    }

    /** Frees the space again. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws Exception {
        Process p = new ProcessBuilder("umount", "-l", mount.toString()).redirectErrorStream(true).start();
        p.waitFor(10, TimeUnit.SECONDS);
    }
}
