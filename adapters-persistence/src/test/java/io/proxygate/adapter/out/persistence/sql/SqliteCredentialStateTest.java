package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteCredentialStateTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void roundTripsEveryFieldAcrossReopening() {
        Path file = dir.resolve("proxygate.db");
        CredentialStateRecord full = new CredentialStateRecord(CredentialId.chatgpt("a@example.com"),
                Optional.of(NOW.plusSeconds(60)), Optional.of("429 from upstream"), Optional.of("refresh token revoked"),
                3, Optional.of(new UsageWindows(
                Optional.of(new UsageWindow(0.42, Optional.of(NOW.plusSeconds(3600)), UsageWindow.FIVE_HOURS)),
                Optional.of(new UsageWindow(1.05, Optional.empty(), Duration.ofDays(7))),
                true, NOW.minusSeconds(30))),
                Optional.of(NOW.minusSeconds(5)));
        CredentialStateRecord bare = new CredentialStateRecord(CredentialId.apiKey("k1"), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty());
        CredentialStateRecord weeklyOnly = new CredentialStateRecord(CredentialId.claude("c@example.com"),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.of(new UsageWindows(Optional.empty(),
                Optional.of(new UsageWindow(0.1, Optional.of(NOW.plusSeconds(86_400)), UsageWindow.WEEK)), false, NOW)),
                Optional.empty());
        SqliteCredentialState state = new SqliteCredentialState(SqliteDatabase.open(file), InstantSource.fixed(NOW));
        state.save(full);
        state.save(bare);
        state.save(weeklyOnly);

        var loaded = new SqliteCredentialState(SqliteDatabase.open(file), InstantSource.fixed(NOW)).loadAll();

        assertThat(loaded).hasSize(3);
        assertThat(loaded.get(full.id())).isEqualTo(full);
        assertThat(loaded.get(bare.id())).isEqualTo(bare);
        assertThat(loaded.get(weeklyOnly.id())).isEqualTo(weeklyOnly);
    }

    @Test
    void saveReplacesTheEarlierStateAndStampsUpdatedAt() {
        Jdbi jdbi = SqliteDatabase.open(dir.resolve("proxygate.db"));
        CredentialId id = CredentialId.apiKey("k1");
        new SqliteCredentialState(jdbi, InstantSource.fixed(NOW)).save(new CredentialStateRecord(id,
                Optional.of(NOW.plusSeconds(30)), Optional.of("cooling"), Optional.empty(), 2, Optional.empty(),
                Optional.empty()));

        SqliteCredentialState later = new SqliteCredentialState(jdbi, InstantSource.fixed(NOW.plusSeconds(90)));
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
}
