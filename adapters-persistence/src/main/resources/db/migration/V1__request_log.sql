-- One row per proxied request. Times are epoch milliseconds (UTC); money is an exact decimal string.
CREATE TABLE request_log (
    row_id                INTEGER PRIMARY KEY,
    id                    TEXT    NOT NULL,
    started_at            INTEGER NOT NULL,
    route                 TEXT    NOT NULL,
    provider              TEXT    NOT NULL,
    credential_id         TEXT,
    model                 TEXT    NOT NULL,
    service_tier          TEXT,
    status                INTEGER NOT NULL,
    input_tokens          INTEGER NOT NULL DEFAULT 0,
    cached_input_tokens   INTEGER NOT NULL DEFAULT 0,
    cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens         INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens      INTEGER NOT NULL DEFAULT 0,
    cost_usd              TEXT,
    latency_ms            INTEGER NOT NULL,
    ttfb_ms               INTEGER,
    error_class           TEXT,
    error_text            TEXT,
    response_id           TEXT,
    incomplete            INTEGER NOT NULL DEFAULT 0,
    routing_note          TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX request_log_started_at ON request_log (started_at);
CREATE INDEX request_log_credential_id ON request_log (credential_id, started_at);
CREATE INDEX request_log_request_id ON request_log (id);
