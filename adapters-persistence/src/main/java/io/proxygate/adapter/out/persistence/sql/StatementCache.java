package io.proxygate.adapter.out.persistence.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepared statements kept for reuse, per driver connection, by one thread that runs the same few statements over
 * and over (the request log's writer). SQLite compiles a statement anew on every prepare, and the usage summary's
 * upsert, with its 178 columns, took ~0.5 ms to compile: at 500 req/s, where a batch holds about a dozen rows, more
 * than the rows' own inserts. Not thread-safe.
 *
 * <p>The pool closes idle connections and opens new ones; the statements of a closed connection are let go at the
 * next {@link #prepare}, so they are not held for the process's life.
 */
final class StatementCache implements AutoCloseable {
    private final Map<Connection, Map<String, PreparedStatement>> byConnection = new IdentityHashMap<>();

    /** {@code sql} prepared on {@code connection}, ready to bind: a kept one with its parameters cleared, or new. */
    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        forgetClosedConnections();
        Map<String, PreparedStatement> statements = byConnection.computeIfAbsent(connection, c -> new HashMap<>());
        PreparedStatement kept = statements.get(sql);
        if (kept != null && !kept.isClosed()) {
            kept.clearParameters();
            kept.clearBatch();
            return kept;
        }
        PreparedStatement fresh = connection.prepareStatement(sql);
        statements.put(sql, fresh);
        return fresh;
    }

    /** Number of connections with kept statements. */
    int connections() {
        return byConnection.size();
    }

    private void forgetClosedConnections() throws SQLException {
        List<Connection> closed = new ArrayList<>();
        for (Connection connection : byConnection.keySet()) {
            if (connection.isClosed()) {
                closed.add(connection);
            }
        }
        closed.forEach(this::forget);
    }

    /**
     * Forgets (and closes) the statements kept for {@code connection} after one of them failed: their state is
     * unknown, the next use prepares anew.
     */
    void forget(Connection connection) {
        Map<String, PreparedStatement> statements = byConnection.remove(connection);
        if (statements != null) {
            statements.values().forEach(StatementCache::closeQuietly);
        }
    }

    /** Closes every kept statement. */
    @Override
    public void close() {
        List<PreparedStatement> all = new ArrayList<>();
        byConnection.values().forEach(statements -> all.addAll(statements.values()));
        byConnection.clear();
        all.forEach(StatementCache::closeQuietly);
    }

    private static void closeQuietly(PreparedStatement statement) {
        if (statement == null) {
            return;
        }
        try {
            statement.close();
        } catch (SQLException ignored) {
            // Closing a statement of a connection that is already gone: nothing left to free.
        }
    }
}
