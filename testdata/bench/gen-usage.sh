#!/usr/bin/env bash
# Fills ProxyGate's request_log with synthetic rows, straight into the database (the server must be stopped for
# SQLite, and must have run once so that its migrations made the schema):
#   gen-usage.sh sqlite DB_FILE [ROWS] [DAYS]
#   gen-usage.sh postgres JDBC_OR_LIBPQ_URL [ROWS] [DAYS]     (psql connection string: postgresql://user:pw@host:port/db)
# Defaults: 10,000,000 rows over the last 90 days (~111k a day), evenly spread with jitter, ending now. Mix: three
# routes, four providers, 200 credentials, eight models, 40 client keys, ~2 % 429s and ~1 % 5xx, token counts and
# costs that vary per row, so every group and percentile has real work to do.
# The rows bypass the usage summary (usage_summary, migration V9), as a database from before the summary would;
# usage-scale.sh then has the server's own upgrade (migration 9.1, the backfill) sum them.
set -euo pipefail
kind=$1 target=$2 rows=${3:-10000000} days=${4:-90}
now_ms=$(date +%s%3N)
span_ms=$((days * 86400 * 1000))
start_ms=$((now_ms - span_ms))
# One row per i; every column is a cheap function of i (the multipliers are primes, so columns do not line up).
pad6() { # a number as six digits, zero-padded, in this database's SQL
  if [ "$kind" = sqlite ]; then printf "substr('000000' || %s, -6, 6)" "$1"; else printf "lpad((%s)::text, 6, '0')" "$1"; fi
}
select_rows() { # select_rows SERIES_EXPR I_EXPR
  cat <<SQL
SELECT 'req-' || $2,
       $start_ms + ($2 * $span_ms / $rows) + (($2 * 7919) % 1000),
       CASE $2 % 3 WHEN 0 THEN '/v1/responses' WHEN 1 THEN '/v1/messages' ELSE '/v1/chat/completions' END,
       CASE $2 % 4 WHEN 0 THEN 'chatgpt' WHEN 1 THEN 'claude' WHEN 2 THEN 'openai' ELSE 'anthropic' END,
       CASE $2 % 4 WHEN 0 THEN 'chatgpt:scale-gpt-' WHEN 1 THEN 'claude:scale-claude-' WHEN 2 THEN 'apikey:scale-key-'
                   ELSE 'apikey:scale-key-' END || (($2 * 13) % 200),
       CASE ($2 * 17) % 8 WHEN 0 THEN 'gpt-5' WHEN 1 THEN 'gpt-5-codex' WHEN 2 THEN 'gpt-4o-mini' WHEN 3 THEN 'o3'
                          WHEN 4 THEN 'claude-sonnet-4-5' WHEN 5 THEN 'claude-opus-4-1' WHEN 6 THEN 'claude-haiku-4-5'
                          ELSE 'gpt-4.1' END,
       CASE WHEN $2 % 11 = 0 THEN 'priority' ELSE NULL END,
       CASE WHEN $2 % 50 = 0 THEN 429 WHEN $2 % 97 = 0 THEN 502 ELSE 200 END,
       ($2 * 31) % 20000, ($2 * 37) % 8000, ($2 * 41) % 500, ($2 * 43) % 3000, ($2 * 47) % 1000,
       CASE WHEN $2 % 50 = 0 THEN NULL ELSE '0.' || $(pad6 "(($2 * 53) % 999983)") END,
       50 + ($2 * 59) % 30000,
       CASE WHEN $2 % 2 = 0 THEN 20 + ($2 * 61) % 2000 ELSE NULL END,
       CASE WHEN $2 % 50 = 0 THEN 'rate_limited' WHEN $2 % 97 = 0 THEN 'upstream_5xx' ELSE NULL END,
       NULL, 'resp_' || $2, 0, '', 1,
       CASE $2 % 5 WHEN 0 THEN 'open' WHEN 1 THEN 'owner' ELSE 'ck_scale' || (($2 * 67) % 40) END
$1
SQL
}
cols="id, started_at, route, provider, credential_id, model, service_tier, status, input_tokens, cached_input_tokens,
      cache_creation_tokens, output_tokens, reasoning_tokens, cost_usd, latency_ms, ttfb_ms, error_class, error_text,
      response_id, incomplete, routing_note, request_count, client_key"
case "$kind" in
  sqlite)
    # Batches of 1M rows in their own transaction: a recursive counter per batch.
    b=0
    while [ "$b" -lt "$rows" ]; do
      n=$(( rows - b < 1000000 ? rows - b : 1000000 ))
      sqlite3 "$target" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE c(i) AS (SELECT $b UNION ALL SELECT i + 1 FROM c WHERE i + 1 < $((b + n)))
INSERT INTO request_log ($cols)
$(select_rows "FROM c" "i");
COMMIT;
SQL
      b=$((b + n))
      echo "$b rows" >&2
    done
    ;;
  postgres)
    psql -q -v ON_ERROR_STOP=1 "$target" <<SQL
INSERT INTO request_log ($cols)
$(select_rows "FROM generate_series(0, $((rows - 1))) AS g(i)" "i::bigint");
ANALYZE request_log;
SQL
    ;;
  *) echo "usage: gen-usage.sh sqlite|postgres TARGET [ROWS] [DAYS]" >&2; exit 2 ;;
esac
