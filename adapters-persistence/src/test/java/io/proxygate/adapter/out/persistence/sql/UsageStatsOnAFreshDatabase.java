package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.adapter.out.persistence.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Usage-statistics tests on a fresh, migrated database each: SQLite here, PostgreSQL in the subclasses that
 * override {@link #dialect()}.
 */
abstract class UsageStatsOnAFreshDatabase {
    @TempDir
    Path dir;

    Jdbi jdbi;
    SqlUsageStats stats;

    /** The database the tests run on. */
    SqlDialect dialect() {
        return SqlDialect.SQLITE;
    }

    @BeforeEach
    void openFreshDatabase() {
        jdbi = TestDatabase.fresh(dialect(), dir).open();
        stats = new SqlUsageStats(jdbi);
    }
}
