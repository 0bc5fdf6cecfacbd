package io.proxygate.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launchers' start-up cache ({@code scripts/jvm-options.sh}) on JDK 25: a cache is checked once before it is
 * used, because the JVM refuses to start at all with one whose archived objects do not fit the heap the options
 * give. A fake {@code java} stands in for the JDK: it fails exactly when given the cache, as JDK 25 does then.
 */
class LauncherAotCacheTest {
    @TempDir
    Path dir;

    @Test
    void aCacheTheJvmAcceptsIsCheckedOnceThenUsed() throws Exception {
        Path jar = jar();
        Path cache = trainAndWriteCache(fakeJdk(0), jar);

        assertThat(jvmOptions(fakeJdk(0), jar)).contains("-XX:AOTCache=" + cache);
        assertThat(Path.of(cache + ".ok")).exists();
        // Remembered: a JVM that would now refuse the cache is not asked again.
        assertThat(jvmOptions(fakeJdk(1), jar)).contains("-XX:AOTCache=" + cache);
    }

    @Test
    void aCacheTheJvmRefusesIsDroppedAndNotTrainedAgainForTheseOptions() throws Exception {
        Path jar = jar();
        Path cache = trainAndWriteCache(fakeJdk(1), jar);

        List<String> options = jvmOptions(fakeJdk(1), jar);
        assertThat(options).noneMatch(o -> o.startsWith("-XX:AOTCache"));
        assertThat(cache).doesNotExist();
        // The next start neither uses nor trains a cache: it starts as a JVM without one would.
        assertThat(jvmOptions(fakeJdk(1), jar)).noneMatch(o -> o.startsWith("-XX:AOTCache"));
    }

    /** The first start after a build trains; the cache it names is what a stopping JVM writes. */
    private Path trainAndWriteCache(Path javaHome, Path jar) throws Exception {
        String output = jvmOptions(javaHome, jar).stream().filter(o -> o.startsWith("-XX:AOTCacheOutput="))
                .findFirst().orElseThrow();
        Path cache = Path.of(output.substring("-XX:AOTCacheOutput=".length()));
        Files.writeString(cache, "cache");
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(30)));
        return cache;
    }

    private Path jar() throws IOException {
        Path jar = Files.writeString(dir.resolve("proxy-gate.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        return jar;
    }

    /** A JDK 25 whose {@code java} exits with {@code rcWithCache} when given a cache, and 0 otherwise. */
    private Path fakeJdk(int rcWithCache) throws IOException {
        Path home = dir.resolve("jdk-" + rcWithCache);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"25.0.3\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in -XX:AOTCache=*) exit " + rcWithCache
                + ";; esac; done\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return home;
    }

    private static List<String> jvmOptions(Path javaHome, Path jar) throws Exception {
        Path script = TestPaths.repoRoot().resolve("scripts/jvm-options.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                ". \"$1\"; proxygate_jvm_options \"$2\" \"$3\"; printf '%s\\n' \"${jvm_options[@]}\"", "bash",
                script.toString(), javaHome.toString(), jar.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("PROXYGATE_"));
        pb.environment().putAll(Map.of("PROXYGATE_JAVA_OPTS", "-Xmn32m"));
        Process process = pb.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out.lines().toList();
    }
}
