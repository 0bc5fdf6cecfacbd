-- Client keys: one per person or tool, each with its own rules. Only the SHA-256 of a key's secret is kept.
-- Times are epoch milliseconds; budgets exact decimal strings; models and routes comma-separated; metadata JSON.
CREATE TABLE client_keys (
    id                 TEXT   PRIMARY KEY,
    name               TEXT   NOT NULL,
    prefix             TEXT   NOT NULL,
    secret_hash        TEXT   NOT NULL,
    models             TEXT   NOT NULL DEFAULT '',
    routes             TEXT   NOT NULL DEFAULT '',
    daily_budget_usd   TEXT,
    monthly_budget_usd TEXT,
    rpm                INTEGER,
    max_concurrent     INTEGER,
    expires_at         BIGINT,
    metadata           TEXT   NOT NULL DEFAULT '{}',
    created_at         BIGINT NOT NULL,
    revoked_at         BIGINT
);

CREATE UNIQUE INDEX client_keys_secret_hash ON client_keys (secret_hash);

-- Who asked, on every request-log row: a client key's id, 'owner' (the proxy token) or 'open' (no auth).
-- Rows written before client keys existed stay NULL.
ALTER TABLE request_log ADD COLUMN client_key TEXT;

CREATE INDEX request_log_client_key ON request_log (client_key, started_at);
