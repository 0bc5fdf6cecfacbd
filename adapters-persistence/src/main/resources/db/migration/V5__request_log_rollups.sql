-- Rows older than [usage] retention are folded into one roll-up row per local day, credential, provider, model,
-- tier and outcome; request_count says how many requests a row stands for (1 for an ordinary row).
ALTER TABLE request_log ADD COLUMN request_count INTEGER NOT NULL DEFAULT 1;
