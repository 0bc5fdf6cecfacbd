package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.fallback.FallbackRule;
import org.jdbi.v3.core.Jdbi;
import io.proxygate.adapter.out.persistence.testing.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings store, on SQLite and on PostgreSQL. */
class SqlSettingsTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void nothingStoredMeansNoPolicy(SqlDialect dialect) {
        TestDatabase db = TestDatabase.fresh(dialect, dir);
        assertThat(new SqlSettings(db.open(), CLOCK).load()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void aSavedPolicySurvivesReopeningTheDatabase(SqlDialect dialect) {
        TestDatabase db = TestDatabase.fresh(dialect, dir);
        FallbackPolicy policy = new FallbackPolicy(false, List.of(
                new FallbackRule(true, "claude-opus-4-7", "thinking-32k", "claude-opus-4-6", "thinking-16k"),
                new FallbackRule(false, "", "", "", "preserve")));
        new SqlSettings(db.open(), CLOCK).save(policy);

        assertThat(new SqlSettings(db.open(), CLOCK).load()).contains(policy);
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void storesTheOriginalsJsonShapeUnderTheOriginalsKey(SqlDialect dialect) {
        TestDatabase db = TestDatabase.fresh(dialect, dir);
        Jdbi jdbi = db.open();
        SqlSettings settings = new SqlSettings(jdbi, CLOCK);
        settings.save(new FallbackPolicy(true, List.of(FallbackRule.of("claude-opus-4-7", "claude-opus-4-6"))));

        assertThat(settings.value("claude_fallback_policy")).contains("{\"enabled\":true,\"rules\":[{\"enabled\":true,"
                + "\"from_model\":\"claude-opus-4-7\",\"to_model\":\"claude-opus-4-6\",\"to_variant\":\"preserve\"}]}");
        long updatedAt = jdbi.withHandle(h -> h.createQuery("SELECT updated_at FROM settings").mapTo(Long.class).one());
        assertThat(updatedAt).isEqualTo(CLOCK.millis());
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void readsAPolicyWrittenByTheOriginal(SqlDialect dialect) {
        SqlSettings settings = settingsOnAFreshDatabase(dialect);
        settings.put("claude_fallback_policy", "{\"enabled\":true,\"rules\":[{\"enabled\":true,"
                + "\"from_model\":\"claude-opus4.7\",\"to_model\":\"claude-opus-4-6\"}],\"extra\":1}");

        assertThat(settings.load()).contains(new FallbackPolicy(true,
                List.of(FallbackRule.of("claude-opus-4-7", "claude-opus-4-6"))));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void anUnreadableOrInvalidStoredPolicyIsIgnored(SqlDialect dialect) {
        SqlSettings settings = settingsOnAFreshDatabase(dialect);
        settings.put("claude_fallback_policy", "{not json");
        assertThat(settings.load()).isEmpty();

        settings.put("claude_fallback_policy", "{\"enabled\":true,\"rules\":[{\"enabled\":true,\"from_model\":\"\"}]}");
        assertThat(settings.load()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void putReplacesTheEarlierValue(SqlDialect dialect) {
        SqlSettings settings = settingsOnAFreshDatabase(dialect);
        settings.put("k", "one");
        settings.put("k", "two");
        assertThat(settings.value("k")).contains("two");
    }

    private SqlSettings settingsOnAFreshDatabase(SqlDialect dialect) {
        return new SqlSettings(TestDatabase.fresh(dialect, dir).open(), CLOCK);
    }
}
