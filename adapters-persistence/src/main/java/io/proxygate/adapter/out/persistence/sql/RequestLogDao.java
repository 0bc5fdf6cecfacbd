package io.proxygate.adapter.out.persistence.sql;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.transaction.Transaction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Inserts into the {@code request_log} table (and its {@code usage_summary}), and its row count; the reads are in
 * {@code UsageStatsDao}.
 */
public interface RequestLogDao extends SqlObject {
    String INSERT = """
            INSERT INTO request_log (id, started_at, route, provider, credential_id, model, service_tier, status,
                                     input_tokens, cached_input_tokens, cache_creation_tokens, output_tokens,
                                     reasoning_tokens, cost_usd, latency_ms, ttfb_ms, error_class, error_text,
                                     response_id, incomplete, routing_note, client_key, translation)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    /** All rows in one transaction: one commit for the batch instead of one per row. */
    @Transaction
    default void insertAll(List<RequestLogRow> rows) {
        try (StatementCache statements = new StatementCache()) {
            insert(getHandle(), rows, statements);
        }
    }

    /**
     * Inserts the rows on the handle, in its transaction, and adds them to {@code usage_summary} in the same
     * transaction, so the summary never disagrees with the committed rows. Plain JDBC with positional parameters,
     * callable without attaching this interface: the request log's writer runs it for every batch, and attaching the
     * SQL object and binding by reflection cost more than the inserts themselves. The statements come from
     * {@code statements}, which keeps them for the next batch.
     */
    static void insert(Handle handle, List<RequestLogRow> rows, StatementCache statements) {
        UsageSummary summary = new UsageSummary();
        Connection connection = null;
        try {
            connection = driverConnection(handle);
            PreparedStatement insert = statements.prepare(connection, INSERT);
            for (RequestLogRow row : rows) {
                summary.add(row);
                int i = 0;
                insert.setString(++i, row.id());
                insert.setLong(++i, row.startedAt());
                insert.setString(++i, row.route());
                insert.setString(++i, row.provider());
                insert.setString(++i, row.credentialId());
                insert.setString(++i, row.model());
                insert.setString(++i, row.serviceTier());
                insert.setInt(++i, row.status());
                insert.setLong(++i, row.inputTokens());
                insert.setLong(++i, row.cachedInputTokens());
                insert.setLong(++i, row.cacheCreationTokens());
                insert.setLong(++i, row.outputTokens());
                insert.setLong(++i, row.reasoningTokens());
                insert.setString(++i, row.costUsd());
                insert.setLong(++i, row.latencyMs());
                if (row.ttfbMs() == null) {
                    insert.setNull(++i, Types.BIGINT);
                } else {
                    insert.setLong(++i, row.ttfbMs());
                }
                insert.setString(++i, row.errorClass());
                insert.setString(++i, row.errorText());
                insert.setString(++i, row.responseId());
                insert.setInt(++i, row.incomplete());
                insert.setString(++i, row.routingNote());
                insert.setString(++i, row.clientKey());
                insert.setString(++i, row.translation());
                insert.addBatch();
            }
            insert.executeBatch();
            summary.write(connection, statements);
        } catch (SQLException e) {
            if (connection != null) {
                statements.forget(connection);
            }
            throw new IllegalStateException("request log insert failed: " + e.getMessage(), e);
        }
    }

    /**
     * The driver's own connection under the pool's proxy (same connection, same transaction): the pool wraps every
     * statement call in a reflective proxy, which at 21 parameters a row cost more than SQLite's insert.
     */
    private static Connection driverConnection(Handle handle) throws SQLException {
        Connection pooled = handle.getConnection();
        return pooled.isWrapperFor(Connection.class) ? pooled.unwrap(Connection.class) : pooled;
    }

    @SqlQuery("SELECT count(*) FROM request_log")
    long count();
}
