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

    private int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return ProxyGateCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(
                        "PROXYGATE_DATA_DIR", root.resolve("data").toString(),
                        "PROXYGATE_POOL_DIR", root.resolve("pool").toString(),
                        // no server answers here, so the commands change the database only
                        "PROXYGATE_ADDR", "127.0.0.1:1"));
    }

    private Path goFolder() throws Exception {
        Path db = root.resolve("data/proxygate.db");
        Files.createDirectories(db.getParent());
        Files.copy(TestPaths.testdata("bolt-fixture/proxygate.db"), db);
        PoolFiles.chatgpt(root.resolve("pool"), "user@example.com", "acc-user", "plus");
        return db;
    }

    @Test
    void clearCooldownImportsTheGoDatabaseAsServeWouldAndThenWorks() throws Exception {
        Path db = goFolder();
        byte[] bolt = Files.readAllBytes(db);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = run(out, err, "clear-cooldown", "user@example.com");

        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isZero();
        assertThat(stderr).contains("imported the Go version's bbolt database").doesNotContain("SQLITE_NOTADB");
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("cooldown, failure streak and needs-login mark of user@example.com cleared");
        assertThat(new String(Files.readAllBytes(db), 0, 15, StandardCharsets.US_ASCII)).isEqualTo("SQLite format 3");
        assertThat(Files.readAllBytes(root.resolve("data/proxygate.bolt.db"))).isEqualTo(bolt);
    }

    @Test
    void clientKeyCommandsImportTheGoDatabaseFirstAndTheImportHappensOnce() throws Exception {
        goFolder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = run(out, err, "client-key", "list");

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("imported the Go version's bbolt database");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no client keys");

        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertThat(run(new ByteArrayOutputStream(), err2, "client-key", "create", "--name=alice")).isZero();
        assertThat(err2.toString(StandardCharsets.UTF_8)).doesNotContain("imported");
        assertThat(root.resolve("data/proxygate.bolt-2.db")).doesNotExist();
    }
}
