-- State that several instances on one database share. Keep in step with db/migration/V4 (identical here).
-- When a credential's needs-login mark last changed (set or cleared), epoch milliseconds: the newest change wins
-- when instances disagree.
ALTER TABLE credential_state ADD COLUMN needs_login_changed_at BIGINT;

-- Which credential each conversation is pinned to, so a conversation keeps its account whichever instance takes
-- the request. touched_at (epoch milliseconds) is the last time the pin was used; idle pins expire.
CREATE TABLE conversation_pins (
    conversation_key TEXT   PRIMARY KEY,
    credential_id    TEXT   NOT NULL,
    touched_at       BIGINT NOT NULL
);

CREATE INDEX conversation_pins_touched_at ON conversation_pins (touched_at);
