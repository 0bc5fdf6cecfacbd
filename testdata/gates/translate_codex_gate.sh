#!/usr/bin/env bash
# Cross-protocol the other way, with the real Codex CLI (npm, pinned in testdata/clients) against the real jar, on a
# pool of Claude accounts only: [translate] maps gpt-5* to claude-sonnet-4-5, the fake upstream speaks only the
# Anthropic Messages API. It asks for a shell call printing a file, Codex runs it, and its final answer quotes the
# file; Codex must print that answer.
. "$(dirname "$0")/lib.sh"
CLIENTS="$REPO_ROOT/testdata/clients"
if [ ! -x "$CLIENTS/node_modules/.bin/codex" ]; then
  (cd "$CLIENTS" && npm install --no-audit --no-fund --loglevel=error)
fi
read -r PORT_UP PORT_PROXY <<<"$(free_ports 2)"
TOKEN=translate-codex-gate-token PROXY_TOKEN=translate-codex-proxy-token
WORK=$(mktemp -d)
SECRET="TRANSLATED-SHELL-$RANDOM-$RANDOM"
echo "$SECRET" > "$WORK/notes.txt"
ASK="What does notes.txt say?"
GATE_READ_FILE="$WORK/notes.txt" GATE_ASK="$ASK" start_upstream translate-claude "$PORT_UP"
mkdir -p "$POOLDIR/claude"
cat > "$POOLDIR/claude/claude.json" <<JSON
{ "email":"claude@x.com","access_token":"fake-pooled-claude-access-token","refresh_token":"fake-claude-refresh-token","expires_at":"2099-12-31T00:00:00Z" }
JSON
CONF=$(mktemp -d)
cat > "$CONF/config.toml" <<TOML
[translate]
enabled = true
[translate.models]
"gpt-5*" = "claude-sonnet-4-5"
TOML
cd "$CONF"
start_proxy PROXYGATE_PROXY_TOKEN="$PROXY_TOKEN" \
  PROXYGATE_UPSTREAM_CHATGPT_BASE_URL="http://127.0.0.1:$PORT_UP/chatgpt-must-not-be-called" \
  PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT_UP" \
  PROXYGATE_CLAUDE_USAGE_URL="http://127.0.0.1:$PORT_UP/api/oauth/usage"

echo "[1/3] Codex CLI runs a shell command through a Claude-only pool"
mkdir -p "$WORK/codex"
cat > "$WORK/codex/config.toml" <<TOML
model = "gpt-5"
model_provider = "pg"
# OpenAI's hosted web search has no Anthropic counterpart: ProxyGate refuses requests that offer it.
web_search = "disabled"
[model_providers.pg]
name = "pg"
base_url = "http://127.0.0.1:$PORT_PROXY/v1"
wire_api = "responses"
env_key = "PG_KEY"
TOML
OUT=$(cd "$WORK" && HOME="$WORK/home" CODEX_HOME="$WORK/codex" PG_KEY="$PROXY_TOKEN" \
  timeout 180 "$CLIENTS/node_modules/.bin/codex" exec --skip-git-repo-check "$ASK" </dev/null 2>&1) \
  || fail "codex exited non-zero: $OUT"
echo "$OUT" | tail -3 | sed 's/^/  codex said: /'
echo "$OUT" | grep -q "The file says: $SECRET" || fail "Codex did not print the upstream's answer quoting the file: $OUT"
grep "SEEN /v1/messages" "$LOGDIR/upstream.log" | grep -q "tool_result=true" \
  || fail "the upstream never got the shell call's result: $(grep SEEN "$LOGDIR/upstream.log")"
grep "SEEN /v1/messages" "$LOGDIR/upstream.log" | grep -q "model=claude-sonnet-4-5" \
  || fail "the upstream was not asked for the mapped model"
grep "SEEN /v1/messages" "$LOGDIR/upstream.log" | grep -q "auth=Bearer fake-pooled-claude-access-token" \
  || fail "upstream did not see the pooled Claude token"
! grep -q "$PROXY_TOKEN" "$LOGDIR/upstream.log" || fail "the client's key leaked upstream"
! grep -q "chatgpt-must-not-be-called/codex" "$LOGDIR/upstream.log" || fail "a ChatGPT upstream was called"

echo "[2/3] OpenCode (OpenAI Responses provider) reads the same file through the same pool"
if [ -x "$CLIENTS/node_modules/opencode-linux-x64/bin/opencode" ]; then
  cat > "$WORK/opencode.json" <<JSON
{"model": "pg/gpt-5",
 "provider": {"pg": {"npm": "@ai-sdk/openai", "name": "PG",
   "options": {"baseURL": "http://127.0.0.1:$PORT_PROXY/v1", "apiKey": "$PROXY_TOKEN"},
   "models": {"gpt-5": {}}}}}
JSON
  BEFORE=$(grep -c "tool_result=true" "$LOGDIR/upstream.log" || true)
  OUT=$(run_opencode "$WORK" pg/gpt-5 $ASK) || fail "opencode exited non-zero: $OUT"
  echo "$OUT" | grep -q "The file says: $SECRET" || fail "OpenCode did not print the upstream's answer quoting the file: $OUT"
  [ "$(grep -c "tool_result=true" "$LOGDIR/upstream.log")" -gt "$BEFORE" ] || fail "OpenCode's read output never reached the upstream"
  echo "  opencode printed the file's text"
else
  echo "  (skipped: OpenCode's optional package is not installed)"
fi

echo "[3/3] the request log says the requests were translated"
expect_translated "responses → messages"
cd "$REPO_ROOT"
rm -rf "$WORK" "$CONF"
pass "TRANSLATE CODEX GATE PASS"
