package io.proxygate.bootstrap.cli;

import io.proxygate.adapter.out.persistence.sql.Databases;
import io.proxygate.adapter.out.persistence.sql.SqlCredentialState;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.TestPostgres;
import io.proxygate.domain.credential.CredentialId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code status} reads the routing state from the configured PostgreSQL database, as the servers write it. */
class PostgresStatusCliTest {
    @TempDir
    Path root;

    @Test
    void statusShowsStateSavedByAServerOnPostgres() throws Exception {
        String url = TestPostgres.freshSchemaUrl();
        PoolFiles.chatgpt(root.resolve("pool"), "a@x.com", "acc-a", "pro");
        PoolFiles.chatgpt(root.resolve("pool"), "b@x.com", "acc-b", "plus");
        new SqlCredentialState(Databases.open(url, "", ""), InstantSource.system()).save(new CredentialStateRecord(
                CredentialId.chatgpt("a@x.com"), Optional.of(Instant.now().plusSeconds(600)), Optional.of("429"),
                Optional.empty(), 0, Optional.empty(), Optional.empty()));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = ProxyGateCli.run(new String[]{"status"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of(
                        "PROXYGATE_DATA_DIR", root.resolve("data").toString(),
                        "PROXYGATE_POOL_DIR", root.resolve("pool").toString(),
                        "PROXYGATE_DATABASE_URL", url));

        assertThat(status).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().filter(l -> l.contains("a@x.com")).findFirst().orElseThrow()).contains("cooling")
                .contains("(429)");
        assertThat(text.lines().filter(l -> l.contains("b@x.com")).findFirst().orElseThrow()).contains("active");
        assertThat(Files.exists(root.resolve("data/proxygate.db"))).as("no SQLite file on the side").isFalse();
    }
}
