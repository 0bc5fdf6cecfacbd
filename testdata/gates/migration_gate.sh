#!/usr/bin/env bash
# Gate 5, the migration: a Go user's folder (the Go version's config.toml.example, a pool folder in its formats with
# one file of each kind plus a second ChatGPT account and a `provider`-style key, and the data folder with the Go
# version's bbolt database, testdata/bolt-fixture/proxygate.db), started the way a user switches over (same folder,
# `serve`): the database is imported (same counters, today's usage and pins as before the switch), then all four
# APIs serve.
. "$(dirname "$0")/lib.sh"
read -r PORT_UP PORT_PROXY <<<"$(free_ports 2)"
TOKEN=migration-gate-token
start_upstream 5 $PORT_UP
WORK=$(mktemp -d)
cp "$REPO_ROOT/testdata/go-original/config.toml.example" "$WORK/config.toml"
cp -r "$REPO_ROOT/testdata/go-original/pool" "$WORK/pool"
mkdir -p "$WORK/data"
# The fixture's newest day is the marker 2000-01-02 (the day before, 2000-01-01, stays as it is): it becomes today,
# so the Go version's "today" is ours. Same length, and the order of the day keys is kept, so it stays a valid bbolt
# file.
TODAY=$(date +%F)
sed "s/2000-01-02/$TODAY/g" "$REPO_ROOT/testdata/bolt-fixture/proxygate.db" >"$WORK/data/proxygate.db"
cp "$WORK/data/proxygate.db" "$LOGDIR/go.db"
(cd "$WORK" && exec env PROXYGATE_ADDR="127.0.0.1:$PORT_PROXY" PROXYGATE_ADMIN_ADDR="127.0.0.1:0" PROXYGATE_ADMIN_TOKEN="$TOKEN" \
  PROXYGATE_PRICING_SOURCE=builtin \
  PROXYGATE_CHATGPT_BASE_URL="http://127.0.0.1:$PORT_UP/codex/responses" \
  PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT_UP" \
  PROXYGATE_UPSTREAM_OPENAI_BASE_URL="http://127.0.0.1:$PORT_UP/v1" \
  PROXYGATE_CHATGPT_USAGE_URL="http://127.0.0.1:$PORT_UP/wham/usage" \
  PROXYGATE_CLAUDE_USAGE_URL="http://127.0.0.1:$PORT_UP/api/oauth/usage" \
  "$JAVA_HOME/bin/java" -jar "$JAR" serve >"$LOGDIR/proxy.log" 2>&1) &
PROXY_PID=$!
deadline=$((SECONDS + 60))
until curl -fsS "http://127.0.0.1:$PORT_PROXY/healthz" >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || fail "proxy did not become healthy"
  sleep 0.2
done
P="http://127.0.0.1:$PORT_PROXY"
admin() { curl -fsS -H "X-Admin-Token: $TOKEN" "$P$1"; }
# in_object JSON ANCHOR FIELD: the FIELD's value in the JSON object that holds ANCHOR (e.g. '"id":"openai-main"'),
# looking only at that object's own fields (nested objects are cut off at their braces).
in_object() {
  printf '%s' "$1" | tr '{}' '\n\n' | grep -F -- "$2" | head -1 | tr ',' '\n' | sed -n "s/^\"$3\":\(.*\)\$/\1/p" | head -1
}
expect() { # actual expected what
  [ "$1" = "$2" ] || fail "$3: expected $2, got '${1}'"
}

echo "[1/8] the old pool loads: two ChatGPT accounts, one of each other kind"
HEALTH=$(curl -fsS "$P/healthz")
for kind in '"chatgpt_account":2' '"claude_account":1' '"openai_key":1' '"anthropic_key":1'; do
  echo "$HEALTH" | grep -q "$kind" || fail "healthz lacks $kind: $HEALTH"
done
echo "$HEALTH" | grep -q '"problems":\[\]' || fail "pool problems: $HEALTH"

echo "[2/8] the Go database was imported and kept beside the new one"
grep -q "imported the Go version's bbolt database" "$LOGDIR/proxy.log" || fail "no import line in the log"
[ "$(grep -c "imported the Go version's bbolt database" "$LOGDIR/proxy.log")" = 1 ] || fail "more than one import line"
cmp -s "$LOGDIR/go.db" "$WORK/data/proxygate.bolt.db" || fail "data/proxygate.bolt.db is not the Go database"
[ "$(head -c 15 "$WORK/data/proxygate.db")" = "SQLite format 3" ] || fail "data/proxygate.db is not SQLite"

echo "[3/8] lifetime counters in /admin/accounts, /admin/claude-accounts and /admin/keys"
# The Go counters count successful requests; ours count failed ones too (user@ failed twice on the kept days).
ACCOUNTS=$(admin /admin/accounts)
expect "$(in_object "$ACCOUNTS" '"email":"user@example.com"' total_requests)" 132 "user@ total_requests"
expect "$(in_object "$ACCOUNTS" '"email":"user@example.com"' total_input_tokens)" 150000 "user@ total_input_tokens"
expect "$(in_object "$ACCOUNTS" '"email":"user@example.com"' total_output_tokens)" 40000 "user@ total_output_tokens"
expect "$(in_object "$ACCOUNTS" '"email":"user@example.com"' total_cost)" 0.9 "user@ total_cost"
expect "$(in_object "$ACCOUNTS" '"email":"second@example.com"' total_requests)" 3 "second@ total_requests"
CLAUDE=$(admin /admin/claude-accounts)
expect "$(in_object "$CLAUDE" '"email":"claude@example.com"' total_requests)" 25 "claude@ total_requests"
expect "$(in_object "$CLAUDE" '"email":"claude@example.com"' total_cost)" 0.3 "claude@ total_cost"
KEYS=$(admin /admin/keys)
expect "$(in_object "$KEYS" '"id":"openai-main"' total_requests)" 11 "openai-main total_requests"
expect "$(in_object "$KEYS" '"id":"openai-main"' total_input_tokens)" 10100 "openai-main total_input_tokens"
expect "$(in_object "$KEYS" '"id":"anthropic-main"' total_requests)" 2 "anthropic-main total_requests"

echo "[4/8] today's usage in /admin/usage, as the Go version recorded it"
USAGE=$(admin /admin/usage)
expect "$(in_object "$USAGE" "\"date\":\"$TODAY\"" requests)" 28 "today's requests"
for check in "user@example.com requests 12" "user@example.com errors 2" "user@example.com input_tokens 13000" \
    "user@example.com cached_tokens 3000" "user@example.com total_cost 0.1075" "second@example.com requests 3" \
    "claude:claude@example.com requests 5" "openai-main requests 5" "openai-main unpriced 1" \
    "anthropic-main errors 1" "vertex-ai requests 1"; do
  read -r who field value <<<"$check"
  SEGMENT=$(printf '%s' "$USAGE" | sed "s/\"$who\":{/\n@@/" | sed -n '/^@@/p' | cut -d'}' -f1)
  expect "$(printf '%s' "$SEGMENT" | tr ',' '\n' | sed -n "s/^\"$field\":\(.*\)\$/\1/p" | head -1)" "$value" "today's $who $field"
done

echo "[5/8] a pinned conversation stays on its account"
ask() { # session header value -> the account that served it
  curl -fsS -X POST -H "Content-Type: application/json" -H "session_id: $1" -d '{"model":"gpt-5","input":"hi"}' \
    "$P/v1/responses" | grep -o 'account=acc-[a-z]*' | head -1
}
# On its own the router starts with second@ (the less used account), so the first request tells the pin apart.
for i in 1 2 3; do
  expect "$(ask gate-session-1)" "account=acc-migrate" "request $i of the conversation the Go version pinned to user@"
done
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" \
  -d '{"model":"gpt-5","input":"hi","previous_response_id":"resp_fixture_1"}' "$P/v1/responses")
echo "$RESP" | grep -q "account=acc-migrate" || fail "previous_response_id pinned by the Go version: $RESP"
expect "$(ask gate-fresh-session)" "account=acc-second" "a conversation without a pin"

echo "[6/8] /v1/responses/compact"
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" -d '{"model":"gpt-5","input":[]}' "$P/v1/responses/compact")
echo "$RESP" | grep -q "MIGRATE_COMPACT_PASS" || fail "compact: $RESP"

echo "[7/8] /v1/messages through the Claude account, /v1/chat/completions through the provider-style key"
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" \
  -d '{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}' "$P/v1/messages")
echo "$RESP" | grep -q "MIGRATE_MSG_PASS" || fail "messages: $RESP"
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" -d '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}' "$P/v1/chat/completions")
echo "$RESP" | grep -q "MIGRATE_CHAT_PASS" || fail "chat: $RESP"

echo "[8/8] the pool files were not rewritten or loosened"
for f in $(cd "$REPO_ROOT/testdata/go-original/pool" && find . -name '*.json'); do
  cmp -s "$REPO_ROOT/testdata/go-original/pool/$f" "$WORK/pool/$f" || fail "$f was changed"
done
rm -rf "$WORK"
pass "MIGRATION GATE PASS"
