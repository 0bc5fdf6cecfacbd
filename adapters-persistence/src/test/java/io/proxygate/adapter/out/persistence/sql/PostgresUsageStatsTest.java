package io.proxygate.adapter.out.persistence.sql;

/** Every usage-statistics test, on PostgreSQL (skipped without {@code PROXYGATE_TEST_POSTGRES_URL}). */
class PostgresUsageStatsTest extends SqlUsageStatsTest {
    @Override
    SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }
}
