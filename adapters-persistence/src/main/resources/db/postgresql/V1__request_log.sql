-- PostgreSQL twin of db/migration/V1__request_log.sql: the same table and columns, with PostgreSQL's types
-- (epoch milliseconds and token counts need BIGINT; row_id is an identity column where SQLite uses its rowid).
CREATE TABLE request_log (
    row_id                BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                    TEXT    NOT NULL,
    started_at            BIGINT  NOT NULL,
    route                 TEXT    NOT NULL,
    provider              TEXT    NOT NULL,
    credential_id         TEXT,
    model                 TEXT    NOT NULL,
    service_tier          TEXT,
    status                INTEGER NOT NULL,
    input_tokens          BIGINT  NOT NULL DEFAULT 0,
    cached_input_tokens   BIGINT  NOT NULL DEFAULT 0,
    cache_creation_tokens BIGINT  NOT NULL DEFAULT 0,
    output_tokens         BIGINT  NOT NULL DEFAULT 0,
    reasoning_tokens      BIGINT  NOT NULL DEFAULT 0,
    cost_usd              TEXT,
    latency_ms            BIGINT  NOT NULL,
    ttfb_ms               BIGINT,
    error_class           TEXT,
    error_text            TEXT,
    response_id           TEXT,
    incomplete            INTEGER NOT NULL DEFAULT 0,
    routing_note          TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX request_log_started_at ON request_log (started_at);
CREATE INDEX request_log_credential_id ON request_log (credential_id, started_at);
CREATE INDEX request_log_request_id ON request_log (id);
