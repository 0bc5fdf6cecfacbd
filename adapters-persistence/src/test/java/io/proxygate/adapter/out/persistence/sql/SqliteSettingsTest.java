package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.fallback.FallbackRule;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteSettingsTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

    @TempDir
    Path dir;

    @Test
    void nothingStoredMeansNoPolicy() {
        assertThat(new SqliteSettings(SqliteDatabase.open(dir.resolve("p.db")), CLOCK).load()).isEmpty();
    }

    @Test
    void aSavedPolicySurvivesReopeningTheDatabase() {
        Path file = dir.resolve("p.db");
        FallbackPolicy policy = new FallbackPolicy(false, List.of(
                new FallbackRule(true, "claude-opus-4-7", "thinking-32k", "claude-opus-4-6", "thinking-16k"),
                new FallbackRule(false, "", "", "", "preserve")));
        new SqliteSettings(SqliteDatabase.open(file), CLOCK).save(policy);

        assertThat(new SqliteSettings(SqliteDatabase.open(file), CLOCK).load()).contains(policy);
    }

    @Test
    void storesTheOriginalsJsonShapeUnderTheOriginalsKey() {
        Jdbi jdbi = SqliteDatabase.open(dir.resolve("p.db"));
        SqliteSettings settings = new SqliteSettings(jdbi, CLOCK);
        settings.save(new FallbackPolicy(true, List.of(FallbackRule.of("claude-opus-4-7", "claude-opus-4-6"))));

        assertThat(settings.value("claude_fallback_policy")).contains("{\"enabled\":true,\"rules\":[{\"enabled\":true,"
                + "\"from_model\":\"claude-opus-4-7\",\"to_model\":\"claude-opus-4-6\",\"to_variant\":\"preserve\"}]}");
        long updatedAt = jdbi.withHandle(h -> h.createQuery("SELECT updated_at FROM settings").mapTo(Long.class).one());
        assertThat(updatedAt).isEqualTo(CLOCK.millis());
    }

    @Test
    void readsAPolicyWrittenByTheOriginal() {
        SqliteSettings settings = new SqliteSettings(SqliteDatabase.open(dir.resolve("p.db")), CLOCK);
        settings.put("claude_fallback_policy", "{\"enabled\":true,\"rules\":[{\"enabled\":true,"
                + "\"from_model\":\"claude-opus4.7\",\"to_model\":\"claude-opus-4-6\"}],\"extra\":1}");

        assertThat(settings.load()).contains(new FallbackPolicy(true,
                List.of(FallbackRule.of("claude-opus-4-7", "claude-opus-4-6"))));
    }

    @Test
    void anUnreadableOrInvalidStoredPolicyIsIgnored() {
        SqliteSettings settings = new SqliteSettings(SqliteDatabase.open(dir.resolve("p.db")), CLOCK);
        settings.put("claude_fallback_policy", "{not json");
        assertThat(settings.load()).isEmpty();

        settings.put("claude_fallback_policy", "{\"enabled\":true,\"rules\":[{\"enabled\":true,\"from_model\":\"\"}]}");
        assertThat(settings.load()).isEmpty();
    }

    @Test
    void putReplacesTheEarlierValue() {
        SqliteSettings settings = new SqliteSettings(SqliteDatabase.open(dir.resolve("p.db")), CLOCK);
        settings.put("k", "one");
        settings.put("k", "two");
        assertThat(settings.value("k")).contains("two");
    }
}
