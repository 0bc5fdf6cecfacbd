package io.proxygate.bootstrap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.bootstrap.support.PoolFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The CLI facing hostile pool directories: escape sequences in credential files, FIFOs named like credentials. */
class CliHardeningTest {
    @TempDir
    Path root;

    private String out;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int status = ProxyGateCli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of(
                        "PROXYGATE_DATA_DIR", root.resolve("data").toString(),
                        "PROXYGATE_POOL_DIR", root.resolve("pool").toString()));
        out = o.toString(StandardCharsets.UTF_8);
        return status;
    }

    @Test
    void emailsWithTerminalEscapesArePrintedSanitized() throws Exception {
        Path claude = Files.createDirectories(root.resolve("pool/claude"));
        Files.writeString(claude.resolve("evil.json"), """
                {"email": "evil\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m\\u202e@x.com",
                 "access_token": "sk-ant-oat01-fake", "refresh_token": "fake-r"}""");

        assertThat(run("list-claude", "--long")).isZero();
        assertThat(out).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b")
                .doesNotContain("\u202e").contains("evil\\u001b[2J");

        assertThat(run("list-claude", "--json")).isZero();
        assertThat(out).doesNotContain("\u001b").doesNotContain("\u009b").doesNotContain("\u202e");
        assertThat(new ObjectMapper().readTree(out).toString()).as("still valid JSON, same text")
                .contains("evil\\u001B[2J");

        assertThat(run("status")).isZero();
        assertThat(out).doesNotContain("\u001b").doesNotContain("\u202e");
    }

    @Test
    void aFifoNamedLikeACredentialIsSkippedNotOpened() throws Exception {
        Path fifo = root.resolve("pool/apikeys/trap.json");
        Files.createDirectories(fifo.getParent());
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is available");
        PoolFiles.key(root.resolve("pool"), "openai-1", "openai", "sk-test-openai");

        int status = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> run("status"));

        assertThat(status).isZero();
        assertThat(out).containsPattern("api_keys: +1").contains("trap.json").contains("not a regular file");
    }
}
