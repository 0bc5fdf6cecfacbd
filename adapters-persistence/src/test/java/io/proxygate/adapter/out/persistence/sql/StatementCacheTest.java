package io.proxygate.adapter.out.persistence.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class StatementCacheTest {
    private static final String INSERT = "INSERT INTO t (a, b) VALUES (?, ?)";

    @TempDir
    Path dir;

    private Connection open() throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS t (a INTEGER, b TEXT)");
        }
        return connection;
    }

    @Test
    void aStatementIsPreparedOncePerConnectionAndStartsEachUseUnbound() throws SQLException {
        try (Connection connection = open(); StatementCache cache = new StatementCache()) {
            PreparedStatement first = cache.prepare(connection, INSERT);
            first.setInt(1, 1);
            first.setString(2, "one");
            first.addBatch();
            first.setInt(1, 2);
            first.setString(2, "two");
            first.addBatch();
            first.executeBatch();

            PreparedStatement again = cache.prepare(connection, INSERT);
            assertThat(again).isSameAs(first);
            again.setInt(1, 3);
            again.setString(2, "three");
            again.addBatch();
            again.executeBatch();

            assertThat(rows(connection)).isEqualTo("1 one, 2 two, 3 three");
        }
    }

    @Test
    void theStatementsOfAClosedConnectionAreClosedAndLetGo() throws SQLException {
        try (StatementCache cache = new StatementCache()) {
            Connection gone = open();
            PreparedStatement old = cache.prepare(gone, INSERT);
            gone.close();

            try (Connection next = open()) {
                PreparedStatement fresh = cache.prepare(next, INSERT);

                assertThat(fresh).isNotSameAs(old);
                assertThat(old.isClosed()).isTrue();
                assertThat(cache.connections()).isEqualTo(1);
            }
        }
    }

    @Test
    void theStatementsOfAConnectionThatFailedAreClosedAndPreparedAnew() throws SQLException {
        try (Connection connection = open(); StatementCache cache = new StatementCache()) {
            PreparedStatement failed = cache.prepare(connection, INSERT);
            cache.forget(connection);

            assertThat(failed.isClosed()).isTrue();
            assertThat(cache.prepare(connection, INSERT)).isNotSameAs(failed);
        }
    }

    @Test
    void closingTheCacheClosesEveryStatement() throws SQLException {
        try (Connection connection = open()) {
            StatementCache cache = new StatementCache();
            PreparedStatement insert = cache.prepare(connection, INSERT);
            PreparedStatement count = cache.prepare(connection, "SELECT count(*) FROM t");
            cache.close();

            assertThat(insert.isClosed()).isTrue();
            assertThat(count.isClosed()).isTrue();
        }
    }

    private static String rows(Connection connection) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement query = connection.createStatement(); ResultSet rs = query.executeQuery("SELECT a, b FROM t ORDER BY a")) {
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : ", ").append(rs.getInt(1)).append(' ').append(rs.getString(2));
            }
        }
        return out.toString();
    }
}
