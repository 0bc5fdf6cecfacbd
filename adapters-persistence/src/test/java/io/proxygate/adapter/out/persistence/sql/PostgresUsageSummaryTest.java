package io.proxygate.adapter.out.persistence.sql;

/** The usage-summary tests on PostgreSQL (skipped without {@code PROXYGATE_TEST_POSTGRES_URL}). */
class PostgresUsageSummaryTest extends UsageSummaryTest {
    @Override
    SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }
}
