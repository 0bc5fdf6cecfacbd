#!/usr/bin/env bash
# The real Claude Code and Codex CLIs (npm, pinned in testdata/clients) against the real jar: each must print the
# mock's answer, and the mock must have seen the pooled credential, never the client's own key.
. "$(dirname "$0")/lib.sh"
CLIENTS="$REPO_ROOT/testdata/clients"
if [ ! -x "$CLIENTS/node_modules/.bin/claude" ] || [ ! -x "$CLIENTS/node_modules/.bin/codex" ]; then
  (cd "$CLIENTS" && npm install --no-audit --no-fund --loglevel=error)
fi
read -r PORT_UP PORT_PROXY <<<"$(free_ports 2)"
TOKEN=clients-gate-token PROXY_TOKEN=clients-proxy-token
start_upstream clients "$PORT_UP"
mkdir -p "$POOLDIR/chatgpt" "$POOLDIR/claude"
cat > "$POOLDIR/chatgpt/codex.json" <<JSON
{ "email":"codex@x.com","account_id":"acc-codex","plan_type":"pro","access_token":"pooled-chatgpt-token","refresh_token":"r","expires_at":"2099-12-31T00:00:00Z","created_at":"2026-04-26T00:00:00Z" }
JSON
cat > "$POOLDIR/claude/claude.json" <<JSON
{ "email":"claude@x.com","access_token":"fake-pooled-claude-access-token","refresh_token":"fake-claude-refresh-token","expires_at":"2099-12-31T00:00:00Z" }
JSON
start_proxy PROXYGATE_PROXY_TOKEN="$PROXY_TOKEN" \
  PROXYGATE_UPSTREAM_CHATGPT_BASE_URL="http://127.0.0.1:$PORT_UP/backend-api" \
  PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT_UP" \
  PROXYGATE_CHATGPT_USAGE_URL="http://127.0.0.1:$PORT_UP/wham/usage" \
  PROXYGATE_CLAUDE_USAGE_URL="http://127.0.0.1:$PORT_UP/api/oauth/usage"

HOMES=$(mktemp -d)
echo "[1/2] Claude Code answers through the pooled Claude account"
OUT=$(cd "$HOMES" && HOME="$HOMES/claude" ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT_PROXY/v1" ANTHROPIC_API_KEY="$PROXY_TOKEN" \
  DISABLE_AUTOUPDATER=1 DISABLE_TELEMETRY=1 timeout 120 "$CLIENTS/node_modules/.bin/claude" --bare -p "Return exactly pong" </dev/null 2>&1) \
  || fail "claude exited non-zero: $OUT"
echo "  claude said: $OUT"
echo "$OUT" | grep -q "pong" || fail "Claude Code did not print the mock's answer"
grep "SEEN /v1/messages" "$LOGDIR/upstream.log" | grep -q "auth=Bearer fake-pooled-claude-access-token" \
  || fail "upstream did not see the pooled Claude token: $(grep SEEN "$LOGDIR/upstream.log")"
! grep "SEEN /v1/messages" "$LOGDIR/upstream.log" | grep -q "$PROXY_TOKEN" || fail "the client's key leaked upstream"

echo "[2/2] Codex CLI answers through the pooled ChatGPT account"
mkdir -p "$HOMES/codex"
cat > "$HOMES/codex/config.toml" <<TOML
model = "gpt-5"
model_provider = "pg"
[model_providers.pg]
name = "pg"
base_url = "http://127.0.0.1:$PORT_PROXY/v1"
wire_api = "responses"
env_key = "PG_KEY"
TOML
OUT=$(cd "$HOMES" && HOME="$HOMES/codexhome" CODEX_HOME="$HOMES/codex" PG_KEY="$PROXY_TOKEN" \
  timeout 120 "$CLIENTS/node_modules/.bin/codex" exec --skip-git-repo-check "Return exactly pong" </dev/null 2>&1) \
  || fail "codex exited non-zero: $OUT"
echo "$OUT" | tail -3 | sed 's/^/  codex said: /'
echo "$OUT" | grep -q "pong" || fail "Codex did not print the mock's answer"
grep "SEEN /backend-api/codex/responses" "$LOGDIR/upstream.log" | grep -q "auth=Bearer pooled-chatgpt-token" \
  || fail "upstream did not see the pooled ChatGPT token: $(grep SEEN "$LOGDIR/upstream.log")"
! grep "SEEN /backend-api/codex/responses" "$LOGDIR/upstream.log" | grep -q "$PROXY_TOKEN" || fail "the client's key leaked upstream"
rm -rf "$HOMES"
pass "CLIENTS GATE PASS"
