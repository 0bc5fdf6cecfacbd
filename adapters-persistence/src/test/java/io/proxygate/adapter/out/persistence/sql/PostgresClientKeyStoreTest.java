package io.proxygate.adapter.out.persistence.sql;

/** Every client-key store test, on PostgreSQL (skipped without {@code PROXYGATE_TEST_POSTGRES_URL}). */
class PostgresClientKeyStoreTest extends SqlClientKeyStoreTest {
    @Override
    SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }
}
