#!/usr/bin/env bash
# Gate 5, the migration: the Go version's config.toml.example and a pool folder in its formats (one file of each
# kind, a `provider`-style key), started the way a user switches over (same folder, `serve`), serving all four APIs.
. "$(dirname "$0")/lib.sh"
read -r PORT_UP PORT_PROXY <<<"$(free_ports 2)"
TOKEN=migration-gate-token
start_upstream 5 $PORT_UP
WORK=$(mktemp -d)
cp "$REPO_ROOT/testdata/go-original/config.toml.example" "$WORK/config.toml"
cp -r "$REPO_ROOT/testdata/go-original/pool" "$WORK/pool"
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

echo "[1/6] the old pool loads: one of each kind"
HEALTH=$(curl -fsS "$P/healthz")
for kind in '"chatgpt_account":1' '"claude_account":1' '"openai_key":1' '"anthropic_key":1'; do
  echo "$HEALTH" | grep -q "$kind" || fail "healthz lacks $kind: $HEALTH"
done
echo "$HEALTH" | grep -q '"problems":\[\]' || fail "pool problems: $HEALTH"

echo "[2/6] /v1/responses through the ChatGPT account"
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" -d '{"model":"gpt-5","input":"hi"}' "$P/v1/responses")
echo "$RESP" | grep -q "MIGRATE_RESPONSES_PASS" || fail "responses: $RESP"

echo "[3/6] /v1/responses/compact"
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" -d '{"model":"gpt-5","input":[]}' "$P/v1/responses/compact")
echo "$RESP" | grep -q "MIGRATE_COMPACT_PASS" || fail "compact: $RESP"

echo "[4/6] /v1/messages through the Claude account"
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" \
  -d '{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}' "$P/v1/messages")
echo "$RESP" | grep -q "MIGRATE_MSG_PASS" || fail "messages: $RESP"

echo "[5/6] /v1/chat/completions through the provider-style OpenAI key"
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" -d '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}' "$P/v1/chat/completions")
echo "$RESP" | grep -q "MIGRATE_CHAT_PASS" || fail "chat: $RESP"

echo "[6/6] the pool files were not rewritten or loosened"
for f in $(cd "$REPO_ROOT/testdata/go-original/pool" && find . -name '*.json'); do
  cmp -s "$REPO_ROOT/testdata/go-original/pool/$f" "$WORK/pool/$f" || fail "$f was changed"
done
rm -rf "$WORK"
pass "MIGRATION GATE PASS"
