#!/usr/bin/env bash
# Cross-protocol with the real Claude Code CLI (npm, pinned in testdata/clients) against the real jar, on a pool of
# ChatGPT accounts only: [translate] maps Claude models to gpt-5-codex, the fake Codex backend speaks only the
# Responses API. The backend asks for a Read of a file, Claude Code runs it, and the backend's final answer quotes
# the file; Claude Code must print that answer.
. "$(dirname "$0")/lib.sh"
CLIENTS="$REPO_ROOT/testdata/clients"
if [ ! -x "$CLIENTS/node_modules/.bin/claude" ]; then
  (cd "$CLIENTS" && npm install --no-audit --no-fund --loglevel=error)
fi
read -r PORT_UP PORT_PROXY <<<"$(free_ports 2)"
TOKEN=translate-gate-token PROXY_TOKEN=translate-proxy-token
WORK=$(mktemp -d)
SECRET="TRANSLATED-READ-$RANDOM-$RANDOM"
echo "$SECRET" > "$WORK/notes.txt"
ASK="What does notes.txt say?"
GATE_READ_FILE="$WORK/notes.txt" GATE_ASK="$ASK" start_upstream translate "$PORT_UP"
mkdir -p "$POOLDIR/chatgpt"
cat > "$POOLDIR/chatgpt/codex.json" <<JSON
{ "email":"codex@x.com","account_id":"acc-codex","plan_type":"pro","access_token":"pooled-chatgpt-token","refresh_token":"r","expires_at":"2099-12-31T00:00:00Z","created_at":"2026-04-26T00:00:00Z" }
JSON
CONF=$(mktemp -d)
cat > "$CONF/config.toml" <<TOML
[translate]
enabled = true
fallback_on_exhaustion = true
[translate.models]
"claude-*" = "gpt-5-codex"
TOML
cd "$CONF"
start_proxy PROXYGATE_PROXY_TOKEN="$PROXY_TOKEN" \
  PROXYGATE_UPSTREAM_CHATGPT_BASE_URL="http://127.0.0.1:$PORT_UP/backend-api" \
  PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT_UP/anthropic-must-not-be-called" \
  PROXYGATE_CHATGPT_USAGE_URL="http://127.0.0.1:$PORT_UP/wham/usage"

echo "[1/3] Claude Code reads a file through a ChatGPT-only pool"
OUT=$(cd "$WORK" && HOME="$WORK/home" ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT_PROXY" ANTHROPIC_API_KEY="$PROXY_TOKEN" \
  DISABLE_AUTOUPDATER=1 DISABLE_TELEMETRY=1 CLAUDE_CODE_MAX_RETRIES=0 timeout 180 \
  "$CLIENTS/node_modules/.bin/claude" --bare -p "$ASK" --allowedTools Read </dev/null 2>&1) \
  || fail "claude exited non-zero: $OUT"
echo "  claude said: $OUT"
echo "$OUT" | grep -q "$SECRET" || fail "Claude Code did not print the backend's answer quoting the file"
grep "SEEN /backend-api/codex/responses" "$LOGDIR/upstream.log" | grep -q "tool_output=true" \
  || fail "the backend never got the Read tool's output: $(grep SEEN "$LOGDIR/upstream.log")"
grep "SEEN /backend-api/codex/responses" "$LOGDIR/upstream.log" | grep -q "model=gpt-5-codex" \
  || fail "the backend was not asked for the mapped model"
grep "SEEN /backend-api/codex/responses" "$LOGDIR/upstream.log" | grep -q "auth=Bearer pooled-chatgpt-token" \
  || fail "upstream did not see the pooled ChatGPT token"
! grep -q "$PROXY_TOKEN" "$LOGDIR/upstream.log" || fail "the client's key leaked upstream"
! grep -q "anthropic-must-not-be-called" "$LOGDIR/upstream.log" || fail "an Anthropic upstream was called"

echo "[2/3] OpenCode (Anthropic provider) reads the same file through the same pool"
if [ -x "$CLIENTS/node_modules/opencode-linux-x64/bin/opencode" ]; then
  PROJ="$WORK" # the project folder holds notes.txt: OpenCode refuses reads outside it
  cat > "$PROJ/opencode.json" <<JSON
{"model": "pg/claude-sonnet-4-5",
 "provider": {"pg": {"npm": "@ai-sdk/anthropic", "name": "PG",
   "options": {"baseURL": "http://127.0.0.1:$PORT_PROXY/v1", "apiKey": "$PROXY_TOKEN"},
   "models": {"claude-sonnet-4-5": {}}}}}
JSON
  BEFORE=$(grep -c "tool_output=true" "$LOGDIR/upstream.log" || true)
  OUT=$(run_opencode "$PROJ" pg/claude-sonnet-4-5 $ASK) || fail "opencode exited non-zero: $OUT"
  echo "$OUT" | grep -q "$SECRET" || fail "OpenCode did not print the backend's answer quoting the file: $OUT"
  [ "$(grep -c "tool_output=true" "$LOGDIR/upstream.log")" -gt "$BEFORE" ] || fail "OpenCode's read output never reached the backend"
  echo "  opencode printed the file's text"
else
  echo "  (skipped: OpenCode's optional package is not installed)"
fi

echo "[3/3] the request log says the requests were translated"
expect_translated "messages → responses"
cd "$REPO_ROOT"
rm -rf "$WORK" "$CONF"
pass "TRANSLATE GATE PASS"
