package io.proxygate.bootstrap.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PostgreSQL server for scale-out tests, named by {@code PROXYGATE_TEST_POSTGRES_URL} (CI always sets it;
 * locally: {@code eval "$(scripts/test-postgres.sh start)"}). Without it, the calling test is skipped.
 */
public final class TestPostgres {
    public static final String URL_VARIABLE = "PROXYGATE_TEST_POSTGRES_URL";

    private TestPostgres() {
    }

    /** A JDBC URL on a new, empty schema of the test server: one test's own database. */
    public static String freshSchemaUrl() {
        String server = System.getenv(URL_VARIABLE);
        assumeTrue(server != null && !server.isBlank(), URL_VARIABLE + " is not set: PostgreSQL test skipped "
                + "(CI always sets it; locally: eval \"$(scripts/test-postgres.sh start)\")");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a schema on the test PostgreSQL server", e);
        }
        return server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
