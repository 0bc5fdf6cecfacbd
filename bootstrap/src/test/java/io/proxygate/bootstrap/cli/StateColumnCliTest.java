package io.proxygate.bootstrap.cli;

import io.proxygate.adapter.out.persistence.sql.SqlCredentialState;
import io.proxygate.adapter.out.persistence.sql.SqliteDatabase;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.domain.credential.CredentialId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The STATE column of {@code status} and {@code list --long}: the same states, and the columns stay aligned. */
class StateColumnCliTest {
    private static final String LONG_REASON = "refresh: invalid_grant: the refresh token was already used";

    @TempDir
    Path root;

    private String out;

    @BeforeEach
    void poolWithCredentialsThatNeedALogin() throws Exception {
        Path pool = root.resolve("pool");
        PoolFiles.chatgpt(pool, "a@x.com", "acc-a", "pro");
        PoolFiles.chatgpt(pool, "b@x.com", "acc-b", "plus");
        PoolFiles.chatgpt(pool, "c@x.com", "acc-c", "plus");
        SqlCredentialState states = new SqlCredentialState(SqliteDatabase.open(root.resolve("data/proxygate.db")),
                InstantSource.system());
        states.save(needsLogin("chatgpt:a@x.com", "auth_unauthorized"));
        states.save(needsLogin("chatgpt:b@x.com", LONG_REASON));
    }

    private static CredentialStateRecord needsLogin(String id, String reason) {
        return new CredentialStateRecord(new CredentialId(id), Optional.empty(), Optional.empty(), Optional.of(reason),
                0, Optional.empty(), Optional.empty(), Optional.of(Instant.now()));
    }

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int status = ProxyGateCli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of(
                        "PROXYGATE_DATA_DIR", root.resolve("data").toString(),
                        "PROXYGATE_POOL_DIR", root.resolve("pool").toString(),
                        "PROXYGATE_ADDR", "127.0.0.1:1"));
        out = o.toString(StandardCharsets.UTF_8);
        return status;
    }

    private List<String> lines() {
        return out.lines().toList();
    }

    /** Where {@code column}'s values start in every table row: the header's position. */
    private void assertAligned(String header, String column, List<String> rows, String valueAfterState) {
        int at = header.indexOf(column);
        for (String row : rows) {
            assertThat(row.indexOf(valueAfterState, at - 1)).as(row).isEqualTo(at);
        }
    }

    @Test
    void statusKeepsItsColumnsAlignedAndShowsALongStateWholeBelowItsRow() {
        assertThat(run("status")).isZero();
        List<String> lines = lines();
        String header = lines.stream().filter(l -> l.startsWith("CREDENTIAL")).findFirst().orElseThrow();
        List<String> rows = lines.stream().filter(l -> l.startsWith("chatgpt:")).toList();

        assertThat(rows).hasSize(3);
        assertAligned(header, "5H USED", rows, "-");
        assertThat(rows).anySatisfy(r -> assertThat(r).contains("needs login: auth_unauthorized "));
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("chatgpt:b@x.com").contains("..."));
        assertThat(lines).contains("    state: needs login: " + LONG_REASON);
    }

    @Test
    void listLongShowsTheStateStatusShows() {
        assertThat(run("list", "--long")).isZero();
        List<String> lines = lines();
        String header = lines.stream().filter(l -> l.startsWith("KIND")).findFirst().orElseThrow();
        List<String> rows = lines.stream().filter(l -> l.contains("@x.com ") && !l.startsWith(" ")).toList();

        assertThat(rows).hasSize(3);
        assertThat(rows).anySatisfy(r -> assertThat(r).contains(" a@x.com ").contains("needs login: auth_unauthorized"))
                .anySatisfy(r -> assertThat(r).contains(" c@x.com ").contains(" active "))
                .noneSatisfy(r -> assertThat(r).contains(" enabled "));
        assertAligned(header, "EXPIRES", rows, "2099-");
        assertThat(lines).contains("    state: needs login: " + LONG_REASON);

        assertThat(run("list", "--json")).isZero();
        assertThat(out).contains("\"state\" : \"needs login: auth_unauthorized\"");
    }
}
