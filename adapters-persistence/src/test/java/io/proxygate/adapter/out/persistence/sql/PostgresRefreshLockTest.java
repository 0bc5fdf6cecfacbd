package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.adapter.out.persistence.testing.TestDatabase;
import io.proxygate.application.port.out.RefreshLockPort;
import io.proxygate.domain.credential.CredentialId;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The refresh lock across two "instances" (two connection sources) on one PostgreSQL database. */
class PostgresRefreshLockTest {
    private static final CredentialId ACCOUNT = CredentialId.chatgpt("a@example.com");
    private static final Duration SHORT = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private Jdbi adminJdbi;
    private PostgresRefreshLock first;
    private PostgresRefreshLock second;

    @BeforeEach
    void setUp() {
        TestDatabase db = TestDatabase.fresh(SqlDialect.POSTGRESQL, dir);
        adminJdbi = db.open();
        first = new PostgresRefreshLock(db.open());
        second = new PostgresRefreshLock(db.open());
    }

    @Test
    void aSecondInstanceWaitsInVainWhileTheFirstHoldsTheLock() {
        try (RefreshLockPort.Held held = first.acquire(ACCOUNT, SHORT).orElseThrow()) {
            assertThat(second.acquire(ACCOUNT, SHORT)).isEmpty();
        }
        Optional<RefreshLockPort.Held> after = second.acquire(ACCOUNT, SHORT);
        assertThat(after).isPresent();
        after.get().close();
    }

    @Test
    void aWaitingInstanceGetsTheLockAsSoonAsItIsReleased() throws Exception {
        RefreshLockPort.Held held = first.acquire(ACCOUNT, SHORT).orElseThrow();
        CompletableFuture<Optional<RefreshLockPort.Held>> waiter =
                CompletableFuture.supplyAsync(() -> second.acquire(ACCOUNT, Duration.ofSeconds(30)));
        assertThat(waiter).isNotDone();

        held.close();

        Optional<RefreshLockPort.Held> got = waiter.get(20, TimeUnit.SECONDS);
        assertThat(got).isPresent();
        got.get().close();
    }

    @Test
    void otherAccountsAreNotBlocked() {
        try (RefreshLockPort.Held held = first.acquire(ACCOUNT, SHORT).orElseThrow()) {
            Optional<RefreshLockPort.Held> other = second.acquire(CredentialId.claude("b@example.com"), SHORT);
            assertThat(other).isPresent();
            other.get().close();
        }
    }

    @Test
    void theLockGoesWithTheConnectionOfAHolderThatDied() {
        RefreshLockPort.Held held = first.acquire(ACCOUNT, SHORT).orElseThrow();
        // A bigint advisory key shows in pg_locks as its high half (classid) and low half (objid), objsubid 1.
        int killed = adminJdbi.withHandle(h -> h.createQuery("""
                SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.objsubid = 1
                  AND ((l.classid::bigint << 32) | l.objid::bigint) = :key
                """).bind("key", PostgresRefreshLock.key(ACCOUNT)).mapTo(Integer.class).one());
        assertThat(killed).isEqualTo(1);

        Optional<RefreshLockPort.Held> got = second.acquire(ACCOUNT, Duration.ofSeconds(10));

        assertThat(got).isPresent();
        got.get().close();
        held.close(); // releasing a lock whose connection is gone must not throw
    }

    @Test
    void theKeyIsTheSameEverywhereAndDiffersBetweenAccounts() {
        assertThat(PostgresRefreshLock.key(ACCOUNT)).isEqualTo(PostgresRefreshLock.key(
                CredentialId.chatgpt("a@example.com")));
        assertThat(PostgresRefreshLock.key(ACCOUNT)).isNotEqualTo(PostgresRefreshLock.key(
                CredentialId.claude("a@example.com")));
    }
}
