#!/usr/bin/env bash
# Client keys with the real Claude Code and Codex CLIs (npm, pinned in testdata/clients) against the real jar, with
# no proxy token configured: a key created with the CLI while the server runs is the only way in; both clients'
# requests are attributed to it; a model outside its rules gets a 403 in the client's error shape; once its daily
# budget is spent it gets a 429 with Retry-After; once revoked, a 401.
. "$(dirname "$0")/lib.sh"
CLIENTS="$REPO_ROOT/testdata/clients"
if [ ! -x "$CLIENTS/node_modules/.bin/claude" ] || [ ! -x "$CLIENTS/node_modules/.bin/codex" ]; then
  (cd "$CLIENTS" && npm install --no-audit --no-fund --loglevel=error)
fi
read -r PORT_UP PORT_PROXY <<<"$(free_ports 2)"
TOKEN=client-keys-gate-admin
start_upstream clients "$PORT_UP"
mkdir -p "$POOLDIR/chatgpt" "$POOLDIR/claude"
cat > "$POOLDIR/chatgpt/codex.json" <<JSON
{ "email":"codex@x.com","account_id":"acc-codex","plan_type":"pro","access_token":"pooled-chatgpt-token","refresh_token":"r","expires_at":"2099-12-31T00:00:00Z","created_at":"2026-04-26T00:00:00Z" }
JSON
cat > "$POOLDIR/claude/claude.json" <<JSON
{ "email":"claude@x.com","access_token":"fake-pooled-claude-access-token","refresh_token":"fake-claude-refresh-token","expires_at":"2099-12-31T00:00:00Z" }
JSON
start_proxy \
  PROXYGATE_UPSTREAM_CHATGPT_BASE_URL="http://127.0.0.1:$PORT_UP/backend-api" \
  PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT_UP" \
  PROXYGATE_CHATGPT_USAGE_URL="http://127.0.0.1:$PORT_UP/wham/usage" \
  PROXYGATE_CLAUDE_USAGE_URL="http://127.0.0.1:$PORT_UP/api/oauth/usage"
BASE="http://127.0.0.1:$PORT_PROXY"
# The CLI sees the same configuration as the server (as one config.toml would give both), so it reaches it.
cli() { env PROXYGATE_ADDR="127.0.0.1:$PORT_PROXY" PROXYGATE_ADMIN_TOKEN="$TOKEN" PROXYGATE_DATA_DIR="$DATADIR" \
  PROXYGATE_POOL_DIR="$POOLDIR" "$JAVA_HOME/bin/java" -jar "$JAR" "$@"; }
admin() { curl -fsS -H "X-Admin-Token: $TOKEN" "$BASE$1"; }
# status_of KEY MODEL: the HTTP status of a small Messages call with KEY.
status_of() {
  curl -s -o "$LOGDIR/last.json" -D "$LOGDIR/last.headers" -w '%{http_code}' -H "x-api-key: $1" \
    -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' \
    -d "{\"model\":\"$2\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" "$BASE/v1/messages"
}
# expect_status KEY MODEL STATUS: the CLI tells the running server about each change, so it holds at once.
expect_status() {
  local got
  got=$(status_of "$1" "$2")
  [ "$got" = "$3" ] || fail "expected $3 for $2, got $got: $(cat "$LOGDIR/last.json")"
}

echo "$(date +%T) [1/5] the CLI creates a key while the server runs"
CREATED=$(cli client-key create --name=gate-laptop --models='claude-sonnet-*,gpt-5*' --daily-budget=5 --json)
KEY=$(echo "$CREATED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
ID=$(echo "$CREATED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
case "$KEY" in pgk_*) ;; *) fail "no pgk_ key in: $CREATED" ;; esac
echo "  created $ID"
# With a key in existence the server is no longer open: a request without one is refused.
expect_status "" claude-sonnet-4-5 401
[ "$(status_of "$KEY" claude-sonnet-4-5)" = 200 ] || fail "the new key was refused: $(cat "$LOGDIR/last.json")"

echo "$(date +%T) [2/5] Claude Code and Codex CLI work with the key, and both requests are attributed to it"
HOMES=$(mktemp -d)
OUT=$(cd "$HOMES" && HOME="$HOMES/claude" ANTHROPIC_BASE_URL="$BASE" ANTHROPIC_AUTH_TOKEN="$KEY" \
  DISABLE_AUTOUPDATER=1 DISABLE_TELEMETRY=1 timeout 120 "$CLIENTS/node_modules/.bin/claude" --bare \
  --model claude-sonnet-4-5 -p "Return exactly pong" </dev/null 2>&1) || fail "claude exited non-zero: $OUT"
echo "  claude said: $OUT"
echo "$OUT" | grep -q "pong" || fail "Claude Code did not print the mock's answer"
mkdir -p "$HOMES/codex"
cat > "$HOMES/codex/config.toml" <<TOML
model = "gpt-5"
model_provider = "proxygate"
[model_providers.proxygate]
name = "ProxyGate"
base_url = "$BASE/v1"
wire_api = "responses"
env_key = "PROXYGATE_KEY"
request_max_retries = 0
stream_max_retries = 0
TOML
codex() {
  (cd "$HOMES" && HOME="$HOMES/codexhome" CODEX_HOME="$HOMES/codex" PROXYGATE_KEY="$KEY" \
    timeout 120 "$CLIENTS/node_modules/.bin/codex" exec --skip-git-repo-check "Return exactly pong" </dev/null 2>&1)
}
OUT=$(codex) || fail "codex exited non-zero: $OUT"
echo "$OUT" | tail -2 | sed 's/^/  codex said: /'
echo "$OUT" | grep -q "pong" || fail "Codex did not print the mock's answer"
ROWS=$(admin "/admin/requests?client_key=$ID")
echo "$ROWS" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
routes = {r["route"] for r in rows if r["client_key"] == sys.argv[1] and r["success"]}
assert "/v1/messages" in routes and "/v1/responses" in routes, "attributed routes: %s" % sorted(routes)
print("  attributed to the key: " + ", ".join(sorted(routes)))' "$ID" || fail "requests not attributed: $ROWS"
! grep SEEN "$LOGDIR/upstream.log" | grep -q "$KEY" || fail "the client key leaked upstream"

echo "$(date +%T) [3/5] a model outside the key's rules: 403 in the client's error shape"
OUT=$(cd "$HOMES" && HOME="$HOMES/claude" ANTHROPIC_BASE_URL="$BASE" ANTHROPIC_AUTH_TOKEN="$KEY" \
  DISABLE_AUTOUPDATER=1 DISABLE_TELEMETRY=1 timeout 120 "$CLIENTS/node_modules/.bin/claude" --bare \
  --model claude-haiku-4-5 -p "Return exactly pong" </dev/null 2>&1) && fail "claude succeeded with a forbidden model: $OUT"
echo "  claude said: $OUT"
echo "$OUT" | grep -q "403" || fail "Claude Code did not report the 403"
echo "$OUT" | grep -q "claude-haiku-4-5" || fail "the refusal does not name the model"
[ "$(status_of "$KEY" claude-haiku-4-5)" = 403 ] || fail "expected 403"
grep -q '"type":"error","error":{"type":"permission_error"' "$LOGDIR/last.json" \
  || fail "not Anthropic's error shape: $(cat "$LOGDIR/last.json")"

echo "$(date +%T) [4/5] the daily budget spent: 429 with Retry-After"
SPENT=$(cli client-key list --json | python3 -c '
import json, sys
print([k for k in json.load(sys.stdin) if k["id"] == sys.argv[1]][0]["today"]["cost_usd"])' "$ID")
echo "  spent today: \$$SPENT; setting the daily budget to exactly that"
python3 -c 'import sys; assert float(sys.argv[1]) > 0' "$SPENT" || fail "no cost counted for the key"
cli client-key update gate-laptop --daily-budget="$SPENT" >/dev/null
expect_status "$KEY" claude-sonnet-4-5 429
grep -qi '^retry-after: [0-9]' "$LOGDIR/last.headers" || fail "no Retry-After: $(cat "$LOGDIR/last.headers")"
grep -q 'daily budget' "$LOGDIR/last.json" || fail "the 429 does not name the budget: $(cat "$LOGDIR/last.json")"
OUT=$(codex) && fail "codex succeeded over budget: $OUT"
echo "$OUT" | tail -2 | sed 's/^/  codex said: /'
echo "$OUT" | grep -q "429\|daily budget\|Too Many Requests" || fail "Codex did not report the 429: $OUT"

echo "$(date +%T) [5/5] revoked with the CLI: 401"
cli client-key revoke gate-laptop
expect_status "$KEY" claude-sonnet-4-5 401
# Claude Code retries a 401 with backoff for minutes; with its retries off it reports the refusal at once.
OUT=$(cd "$HOMES" && HOME="$HOMES/claude" ANTHROPIC_BASE_URL="$BASE" ANTHROPIC_AUTH_TOKEN="$KEY" CLAUDE_CODE_MAX_RETRIES=0 \
  DISABLE_AUTOUPDATER=1 DISABLE_TELEMETRY=1 timeout 120 "$CLIENTS/node_modules/.bin/claude" --bare \
  --model claude-sonnet-4-5 -p "Return exactly pong" </dev/null 2>&1) && fail "claude succeeded with a revoked key: $OUT"
echo "  claude said: $OUT"
echo "$OUT" | grep -q "401" || fail "Claude Code did not report the 401: $OUT"
echo "$OUT" | grep -q "revoked" || fail "the refusal does not say the key was revoked: $OUT"
cli client-key list | grep -q "revoked" || fail "the list does not show the key revoked"
rm -rf "$HOMES"
pass "CLIENT KEYS GATE PASS"
