package io.proxygate.adapter.out.persistence.sql;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.List;

/** Read queries of {@code request_log} for the admin views. */
@RegisterConstructorMapper(RequestLogRow.class)
interface UsageStatsDao {
    /** Every column of a {@link RequestLogRow}; each query adds its own filter, order and limit. */
    String SELECT_ROWS = """
            SELECT id, started_at, route, provider, credential_id, model, service_tier, status,
                   input_tokens, cached_input_tokens, cache_creation_tokens, output_tokens, reasoning_tokens,
                   cost_usd, latency_ms, ttfb_ms, error_class, error_text, response_id, incomplete, routing_note,
                   client_key, translation
            FROM request_log
            """;

    @SqlQuery(SELECT_ROWS + """
            WHERE route <> 'rollup'
            ORDER BY started_at DESC, row_id DESC
            LIMIT :limit
            """)
    List<RequestLogRow> recent(@Bind("limit") int limit);

    /**
     * A credential's rows; Vertex AI rows (no credential) are found by their provider, {@code vertex-ai}. The filter
     * is written as the expression index {@code request_log_credential_or_provider} holds (migration V8).
     */
    @SqlQuery(SELECT_ROWS + """
            WHERE COALESCE(credential_id, provider) = :credential
              AND route <> 'rollup'
            ORDER BY started_at DESC, row_id DESC
            LIMIT :limit
            """)
    List<RequestLogRow> recentOf(@Bind("credential") String credential, @Bind("limit") int limit);

    /**
     * A client key's rows ({@code open} also finds rows from before client keys, which have none); the filter is the
     * expression index {@code request_log_client_key_or_open} holds (migration V8).
     */
    @SqlQuery(SELECT_ROWS + """
            WHERE COALESCE(client_key, 'open') = :client_key AND route <> 'rollup'
            ORDER BY started_at DESC, row_id DESC
            LIMIT :limit
            """)
    List<RequestLogRow> recentOfClientKey(@Bind("client_key") String clientKey, @Bind("limit") int limit);
}
