#!/usr/bin/env bash
# Phase 4 gate: Messages through an Anthropic key, Chat through an OpenAI key. Anthropic keys stay in rotation
# with the Vertex fallback policy on (the default).
. "$(dirname "$0")/lib.sh"
read -r PORT_UP PORT_PROXY <<<"$(free_ports 2)"
TOKEN=phase4-gate-token
start_upstream 4 $PORT_UP
mkdir -p "$POOLDIR/chatgpt" "$POOLDIR/apikeys"
cat > "$POOLDIR/apikeys/anthropic-1.json" <<JSON
{ "id":"anthropic-1","name":"a","type":"anthropic","api_key":"sk-ant-test" }
JSON
cat > "$POOLDIR/apikeys/openai-1.json" <<JSON
{ "id":"openai-1","name":"o","type":"openai","api_key":"sk-openai-test" }
JSON
start_proxy PROXYGATE_ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT_UP/v1/messages" \
  PROXYGATE_CHAT_BASE_URL="http://127.0.0.1:$PORT_UP/chat/completions"

echo "[1/2] /v1/messages routes via the Anthropic key"
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" \
  -d '{"model":"claude-3-5-sonnet","messages":[{"role":"user","content":"hi"}],"max_tokens":1024}' \
  "http://127.0.0.1:$PORT_PROXY/v1/messages")
echo "$RESP" | grep -q "MSG_PASS" || fail "missing MSG_PASS: $RESP"

echo "[2/2] /v1/chat/completions routes via the OpenAI key"
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" \
  -d '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}' \
  "http://127.0.0.1:$PORT_PROXY/v1/chat/completions")
echo "$RESP" | grep -q "CHAT_PASS" || fail "missing CHAT_PASS: $RESP"

KEYS=$(curl -fsS -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/keys")
echo "$KEYS" | grep -q '"id":"anthropic-1"' || fail "anthropic key not listed: $KEYS"
echo "$KEYS" | grep -q '"id":"openai-1"' || fail "openai key not listed: $KEYS"

pass "PHASE 4 GATE PASS"
