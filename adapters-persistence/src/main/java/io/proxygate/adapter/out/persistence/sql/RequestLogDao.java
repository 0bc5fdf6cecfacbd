package io.proxygate.adapter.out.persistence.sql;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.transaction.Transaction;

import java.util.List;

/** SQL for the {@code request_log} table. */
@RegisterConstructorMapper(RequestLogRow.class)
public interface RequestLogDao {
    @SqlBatch("""
            INSERT INTO request_log (id, started_at, route, provider, credential_id, model, service_tier, status,
                                     input_tokens, cached_input_tokens, cache_creation_tokens, output_tokens,
                                     reasoning_tokens, cost_usd, latency_ms, ttfb_ms, error_class, error_text,
                                     response_id, incomplete, routing_note)
            VALUES (:id, :startedAt, :route, :provider, :credentialId, :model, :serviceTier, :status,
                    :inputTokens, :cachedInputTokens, :cacheCreationTokens, :outputTokens,
                    :reasoningTokens, :costUsd, :latencyMs, :ttfbMs, :errorClass, :errorText,
                    :responseId, :incomplete, :routingNote)
            """)
    void insert(@BindMethods Iterable<RequestLogRow> rows);

    /** All rows in one transaction: one fsync for the batch instead of one per row. */
    @Transaction
    default void insertAll(List<RequestLogRow> rows) {
        insert(rows);
    }

    @SqlQuery("""
            SELECT id, started_at, route, provider, credential_id, model, service_tier, status,
                   input_tokens, cached_input_tokens, cache_creation_tokens, output_tokens, reasoning_tokens,
                   cost_usd, latency_ms, ttfb_ms, error_class, error_text, response_id, incomplete, routing_note
            FROM request_log
            WHERE route <> 'rollup'
            ORDER BY started_at DESC, row_id DESC
            LIMIT :limit
            """)
    List<RequestLogRow> recent(@Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM request_log")
    long count();
}
