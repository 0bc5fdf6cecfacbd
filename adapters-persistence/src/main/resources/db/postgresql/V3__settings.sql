-- PostgreSQL twin of db/migration/V3__settings.sql (updated_at is epoch milliseconds: BIGINT).
CREATE TABLE settings (
    key        TEXT   PRIMARY KEY,
    value      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);
