#!/usr/bin/env bash
# Phase 3 gate: account first, then the API key once the account is disabled.
. "$(dirname "$0")/lib.sh"
read -r PORT_UP PORT_PROXY <<<"$(free_ports 2)"
TOKEN=phase3-gate-token
start_upstream 3 $PORT_UP
mkdir -p "$POOLDIR/chatgpt" "$POOLDIR/apikeys"
cat > "$POOLDIR/chatgpt/acc.json" <<JSON
{ "email":"acc@x.com","account_id":"acc-1","plan_type":"pro","access_token":"tok-acc","refresh_token":"r","expires_at":"2099-12-31T00:00:00Z","created_at":"2026-04-26T00:00:00Z" }
JSON
cat > "$POOLDIR/apikeys/openai-1.json" <<JSON
{ "id":"openai-1","name":"primary","type":"openai","api_key":"sk-test-key-123" }
JSON
start_proxy PROXYGATE_CHATGPT_BASE_URL="http://127.0.0.1:$PORT_UP/responses" \
  PROXYGATE_OPENAI_BASE_URL="http://127.0.0.1:$PORT_UP/responses"

echo "[1/4] both pools loaded"
STATUS=$(curl -fsS -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/status")
echo "$STATUS" | grep -q '"accounts":1' || fail "accounts: $STATUS"
echo "$STATUS" | grep -q '"api_keys":1' || fail "api_keys: $STATUS"

echo "[2/4] account-first"
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" -d '{"model":"gpt-5"}' "http://127.0.0.1:$PORT_PROXY/v1/responses")
echo "$RESP" | grep -q "resp_account" || fail "expected the account: $RESP"

echo "[3/4] disable the account -> the key serves"
curl -fsS -X POST -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/accounts/acc@x.com/disable" >/dev/null
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" -d '{"model":"gpt-5"}' "http://127.0.0.1:$PORT_PROXY/v1/responses")
echo "$RESP" | grep -q "resp_apikey" || fail "expected the key: $RESP"

echo "[4/4] key counters"
KEYS=$(curl -fsS -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/keys")
echo "$KEYS" | grep -q '"total_requests":1' || fail "total_requests: $KEYS"
echo "$KEYS" | grep -q '"total_input_tokens":30' || fail "total_input_tokens: $KEYS"
echo "$KEYS" | grep -q '"total_output_tokens":15' || fail "total_output_tokens: $KEYS"

pass "PHASE 3 GATE PASS"
