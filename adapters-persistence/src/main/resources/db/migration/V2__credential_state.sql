-- Runtime facts about a credential that survive a restart. Times are epoch milliseconds (UTC).
-- Usage windows are columns so the CLI can query them; a window is present when its used fraction is not null.
CREATE TABLE credential_state (
    id                   TEXT    PRIMARY KEY,
    cooldown_until       INTEGER,
    cooldown_reason      TEXT,
    needs_login_reason   TEXT,
    failure_streak       INTEGER NOT NULL DEFAULT 0,
    windows_observed_at  INTEGER,
    limit_reached        INTEGER NOT NULL DEFAULT 0,
    five_hour_used       REAL,
    five_hour_resets_at  INTEGER,
    five_hour_length_s   INTEGER,
    weekly_used          REAL,
    weekly_resets_at     INTEGER,
    weekly_length_s      INTEGER,
    last_used            INTEGER,
    updated_at           INTEGER NOT NULL
);
