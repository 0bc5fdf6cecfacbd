package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.adapter.out.persistence.testing.TestDatabase;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The credential state store, on SQLite and on PostgreSQL. */
class SqlCredentialStateTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final CredentialId ID = CredentialId.chatgpt("a@example.com");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void roundTripsEveryFieldAcrossReopening(SqlDialect dialect) {
        TestDatabase db = TestDatabase.fresh(dialect, dir);
        CredentialStateRecord full = new CredentialStateRecord(ID,
                Optional.of(NOW.plusSeconds(60)), Optional.of("429 from upstream"), Optional.of("refresh token revoked"),
                3, Optional.of(new UsageWindows(
                Optional.of(new UsageWindow(0.42, Optional.of(NOW.plusSeconds(3600)), UsageWindow.FIVE_HOURS)),
                Optional.of(new UsageWindow(1.05, Optional.empty(), Duration.ofDays(7))),
                true, NOW.minusSeconds(30))),
                Optional.of(NOW.minusSeconds(5)), Optional.of(NOW.minusSeconds(7)));
        CredentialStateRecord bare = new CredentialStateRecord(CredentialId.apiKey("k1"), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty());
        CredentialStateRecord weeklyOnly = new CredentialStateRecord(CredentialId.claude("c@example.com"),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.of(new UsageWindows(Optional.empty(),
                Optional.of(new UsageWindow(0.1, Optional.of(NOW.plusSeconds(86_400)), UsageWindow.WEEK)), false, NOW)),
                Optional.empty());
        SqlCredentialState state = new SqlCredentialState(db.open(), InstantSource.fixed(NOW));
        state.save(full);
        state.save(bare);
        state.save(weeklyOnly);

        var loaded = new SqlCredentialState(db.open(), InstantSource.fixed(NOW)).loadAll();

        assertThat(loaded).hasSize(3);
        assertThat(loaded.get(full.id())).isEqualTo(full);
        assertThat(loaded.get(bare.id())).isEqualTo(bare);
        assertThat(loaded.get(weeklyOnly.id())).isEqualTo(weeklyOnly);
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void clearingErasesAStoredCooldownStreakAndNeedsLoginMarkThatSavesCannotShorten(SqlDialect dialect) {
        TestDatabase db = TestDatabase.fresh(dialect, dir);
        SqlCredentialState state = new SqlCredentialState(db.open(), InstantSource.fixed(NOW));
        state.save(new CredentialStateRecord(ID, Optional.of(NOW.plusSeconds(900)), Optional.of("HTTP 500"),
                Optional.of("revoked"), 9, Optional.empty(), Optional.empty()));
        state.save(new CredentialStateRecord(ID, Optional.empty(), Optional.empty(), Optional.of("revoked"), 0,
                Optional.empty(), Optional.empty()));
        assertThat(state.loadAll().get(ID).cooldownUntil()).contains(NOW.plusSeconds(900));

        state.clearCooldown(ID);

        CredentialStateRecord loaded = state.loadAll().get(ID);
        assertThat(loaded.cooldownUntil()).isEmpty();
        assertThat(loaded.failureStreak()).isZero();
        assertThat(loaded.needsLoginReason()).isEmpty();
        // An instance that marked it before the reset, saving late, does not bring the mark back.
        state.save(new CredentialStateRecord(ID, Optional.empty(), Optional.empty(), Optional.of("revoked"), 0,
                Optional.empty(), Optional.empty(), Optional.of(NOW.minusSeconds(5))));
        assertThat(state.loadAll().get(ID).needsLoginReason()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void saveReplacesTheEarlierStateOnceItsCooldownHasRunOutAndStampsUpdatedAt(SqlDialect dialect) {
        TestDatabase db = TestDatabase.fresh(dialect, dir);
        Jdbi jdbi = db.open();
        CredentialId id = CredentialId.apiKey("k1");
        new SqlCredentialState(jdbi, InstantSource.fixed(NOW)).save(new CredentialStateRecord(id,
                Optional.of(NOW.plusSeconds(30)), Optional.of("cooling"), Optional.empty(), 2, Optional.empty(),
                Optional.empty()));

        SqlCredentialState later = new SqlCredentialState(jdbi, InstantSource.fixed(NOW.plusSeconds(90)));
        later.save(new CredentialStateRecord(id, Optional.empty(), Optional.empty(), Optional.empty(), 0,
                Optional.empty(), Optional.of(NOW.plusSeconds(80))));

        CredentialStateRecord loaded = later.loadAll().get(id);
        assertThat(loaded.cooldownUntil()).isEmpty();
        assertThat(loaded.cooldownReason()).isEmpty();
        assertThat(loaded.failureStreak()).isZero();
        assertThat(loaded.lastUsed()).contains(NOW.plusSeconds(80));
        List<Long> stamps = jdbi.withHandle(h -> h.createQuery("SELECT updated_at FROM credential_state")
                .mapTo(Long.class).list());
        assertThat(stamps).containsExactly(NOW.plusSeconds(90).toEpochMilli());
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void aSaveThatHasNotHeardOfAnotherInstancesCooldownKeepsIt(SqlDialect dialect) {
        TestDatabase db = TestDatabase.fresh(dialect, dir);
        SqlCredentialState a = new SqlCredentialState(db.open(), InstantSource.fixed(NOW));
        SqlCredentialState b = new SqlCredentialState(db.open(), InstantSource.fixed(NOW.plusSeconds(1)));
        a.save(record(Optional.of(NOW.plusSeconds(60)), Optional.of("429"), Optional.empty(), Optional.empty(),
                Optional.empty()));

        b.save(record(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        b.save(record(Optional.of(NOW.plusSeconds(10)), Optional.of("HTTP 502"), Optional.empty(), Optional.empty(),
                Optional.empty()));

        CredentialStateRecord loaded = b.loadAll().get(ID);
        assertThat(loaded.cooldownUntil()).contains(NOW.plusSeconds(60));
        assertThat(loaded.cooldownReason()).contains("429");

        b.save(record(Optional.of(NOW.plusSeconds(120)), Optional.of("HTTP 503"), Optional.empty(), Optional.empty(),
                Optional.empty()));
        assertThat(a.loadAll().get(ID).cooldownUntil()).contains(NOW.plusSeconds(120));
        assertThat(a.loadAll().get(ID).cooldownReason()).contains("HTTP 503");
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void usageWindowsKeepTheNewestObservationWhoeverSavesLast(SqlDialect dialect) {
        TestDatabase db = TestDatabase.fresh(dialect, dir);
        SqlCredentialState state = new SqlCredentialState(db.open(), InstantSource.fixed(NOW));
        UsageWindows newer = windows(0.8, NOW.minusSeconds(10));
        UsageWindows older = windows(0.2, NOW.minusSeconds(60));

        state.save(record(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(newer), Optional.empty()));
        state.save(record(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(older), Optional.empty()));
        assertThat(state.loadAll().get(ID).windows()).contains(newer);

        state.save(record(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(state.loadAll().get(ID).windows()).contains(newer);

        UsageWindows newest = windows(0.9, NOW);
        state.save(record(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(newest), Optional.empty()));
        assertThat(state.loadAll().get(ID).windows()).contains(newest);
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void theNeedsLoginMarkKeepsTheNewestChangeSetOrCleared(SqlDialect dialect) {
        TestDatabase db = TestDatabase.fresh(dialect, dir);
        SqlCredentialState state = new SqlCredentialState(db.open(), InstantSource.fixed(NOW));

        state.save(record(Optional.empty(), Optional.empty(), Optional.of("auth_unauthorized"), Optional.empty(),
                Optional.of(NOW.minusSeconds(20))));
        // An instance that last saw the mark cleared before it was set does not erase it...
        state.save(record(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(NOW.minusSeconds(30))));
        // ...nor does one that never knew when it changed.
        state.save(record(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(state.loadAll().get(ID).needsLoginReason()).contains("auth_unauthorized");
        assertThat(state.loadAll().get(ID).needsLoginChangedAt()).contains(NOW.minusSeconds(20));

        // A fresh login after the mark clears it.
        state.save(record(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(NOW.minusSeconds(5))));
        assertThat(state.loadAll().get(ID).needsLoginReason()).isEmpty();
        assertThat(state.loadAll().get(ID).needsLoginChangedAt()).contains(NOW.minusSeconds(5));
    }

    private static CredentialStateRecord record(Optional<Instant> cooldown, Optional<String> reason,
                                                Optional<String> needsLogin, Optional<UsageWindows> windows,
                                                Optional<Instant> needsLoginChangedAt) {
        return new CredentialStateRecord(ID, cooldown, reason, needsLogin, 0, windows, Optional.empty(),
                needsLoginChangedAt);
    }

    private static UsageWindows windows(double used, Instant observedAt) {
        return new UsageWindows(Optional.of(new UsageWindow(used, Optional.of(NOW.plusSeconds(3600)),
                UsageWindow.FIVE_HOURS)), Optional.empty(), false, observedAt);
    }
}
