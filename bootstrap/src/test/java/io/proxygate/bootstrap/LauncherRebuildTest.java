package io.proxygate.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./proxy-gate} builds the jar again when a module's main sources or a build file are newer than it, and
 * only then: tests, test data and anything else in the checkout do not make a start wait for Maven. A fake
 * {@code mvn} and {@code java} stand in for the real ones.
 */
class LauncherRebuildTest {
    private static final Instant BUILT = Instant.now().minusSeconds(600);

    @TempDir
    Path root;

    @Test
    void aJarNewerThanEverySourceStartsAsItIs() throws Exception {
        checkout();
        newer("bootstrap/src/test/java/SomeTest.java");
        newer("testdata/bench/peer/node_modules/x/index.js");
        newer("README.md");

        assertThat(launch()).isEqualTo("ran\n");
        assertThat(root.resolve("mvn-runs")).as("Maven not run").doesNotExist();
    }

    /** A module's main source, however deep, or a module's build file. */
    @ParameterizedTest
    @ValueSource(strings = {"domain/src/main/java/io/example/Deep.java", "application/pom.xml"})
    void aNewerSourceOrBuildFileRebuilds(String changed) throws Exception {
        checkout();
        newer(changed);

        assertThat(launch()).isEqualTo("ran\n");
        assertThat(root.resolve("mvn-runs")).hasContent("built");
    }

    /** The launcher and its scripts, a jar built 10 minutes ago, two modules' sources and build files as old. */
    private void checkout() throws IOException {
        Path repo = TestPaths.repoRoot();
        Files.copy(repo.resolve("proxy-gate"), root.resolve("proxy-gate"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(root.resolve("scripts"));
        for (String script : new String[]{"find-java.sh", "jvm-options.sh"}) {
            Files.copy(repo.resolve("scripts").resolve(script), root.resolve("scripts").resolve(script));
        }
        for (String file : new String[]{"pom.xml", "domain/pom.xml", "domain/src/main/java/io/example/Deep.java",
                "application/pom.xml", "application/src/main/java/io/example/Use.java",
                "bootstrap/src/test/java/SomeTest.java", "bootstrap/target/proxy-gate.jar"}) {
            older(file);
        }
        Files.setLastModifiedTime(root.resolve("bootstrap/target/proxy-gate.jar"), FileTime.from(BUILT));
        executable("jdk/bin/java", "#!/bin/sh\necho ran\n");
        Files.writeString(root.resolve("jdk/release"), "JAVA_VERSION=\"25.0.3\"\n");
        executable("bin/mvn", "#!/bin/sh\necho built >> mvn-runs\ntouch bootstrap/target/proxy-gate.jar\n");
    }

    private String launch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("proxy-gate").toString(), "version");
        pb.environment().keySet().removeIf(k -> k.startsWith("PROXYGATE_"));
        pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        pb.environment().put("PATH", root.resolve("bin") + ":/usr/bin:/bin");
        Process process = pb.redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(err).isZero();
        return out;
    }

    private void older(String file) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, "x");
        Files.setLastModifiedTime(path, FileTime.from(BUILT.minusSeconds(60)));
    }

    private void newer(String file) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, "x");
        Files.setLastModifiedTime(path, FileTime.from(BUILT.plusSeconds(60)));
    }

    private void executable(String file, String content) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    }
}
