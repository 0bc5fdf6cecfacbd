package io.proxygate.bootstrap.cli;

import io.proxygate.bootstrap.TestPaths;
import io.proxygate.bootstrap.support.PoolFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI in a Go user's folder before the server has imported the Go version's bbolt database. */
class GoDatabaseCliTest {
    @TempDir
    Path root;

    @Test
    void statusWorksAndLeavesTheGoDatabaseForTheServerToImport() throws Exception {
        Path db = root.resolve("data/proxygate.db");
        Files.createDirectories(db.getParent());
        Files.copy(TestPaths.testdata("bolt-fixture/proxygate.db"), db);
        byte[] before = Files.readAllBytes(db);
        PoolFiles.chatgpt(root.resolve("pool"), "user@example.com", "acc-user", "plus");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ProxyGateCli.run(new String[]{"status"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(
                        "PROXYGATE_DATA_DIR", root.resolve("data").toString(),
                        "PROXYGATE_POOL_DIR", root.resolve("pool").toString()));

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("user@example.com");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        assertThat(root.resolve("data/proxygate.bolt.db")).doesNotExist();
    }
}
