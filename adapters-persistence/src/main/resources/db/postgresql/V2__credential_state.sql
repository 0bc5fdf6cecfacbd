-- PostgreSQL twin of db/migration/V2__credential_state.sql (BIGINT for epoch milliseconds, DOUBLE PRECISION for
-- used fractions: PostgreSQL's REAL is single precision).
CREATE TABLE credential_state (
    id                   TEXT    PRIMARY KEY,
    cooldown_until       BIGINT,
    cooldown_reason      TEXT,
    needs_login_reason   TEXT,
    failure_streak       INTEGER NOT NULL DEFAULT 0,
    windows_observed_at  BIGINT,
    limit_reached        INTEGER NOT NULL DEFAULT 0,
    five_hour_used       DOUBLE PRECISION,
    five_hour_resets_at  BIGINT,
    five_hour_length_s   BIGINT,
    weekly_used          DOUBLE PRECISION,
    weekly_resets_at     BIGINT,
    weekly_length_s      BIGINT,
    last_used            BIGINT,
    updated_at           BIGINT  NOT NULL
);
