-- Requests served by the other API family ([translate]): what was translated and why, e.g.
-- "translated messages → responses, claude-sonnet-4-5 → gpt-5-codex, because no messages credential can serve".
-- NULL on every other row, and on rows written before translation existed.
ALTER TABLE request_log ADD COLUMN translation TEXT;
