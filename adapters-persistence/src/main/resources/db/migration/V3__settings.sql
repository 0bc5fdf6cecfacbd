-- Settings changed at run time through the admin API, one JSON (or plain text) value per key.
-- updated_at is epoch milliseconds (UTC).
CREATE TABLE settings (
    key        TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
