#!/usr/bin/env bash
# Phase 1 gate: one account is listed and its usage is counted.
. "$(dirname "$0")/lib.sh"
read -r PORT_UP PORT_PROXY <<<"$(free_ports 2)"
TOKEN=phase1-gate-token
start_upstream 1 $PORT_UP
mkdir -p "$POOLDIR/chatgpt"
cat > "$POOLDIR/chatgpt/test.json" <<JSON
{
  "email": "test@example.com",
  "account_id": "acc-gate",
  "plan_type": "pro",
  "access_token": "fake-token",
  "refresh_token": "fake-refresh",
  "expires_at": "2099-12-31T00:00:00Z",
  "created_at": "2026-04-26T00:00:00Z"
}
JSON
start_proxy PROXYGATE_CHATGPT_BASE_URL="http://127.0.0.1:$PORT_UP/responses"

echo "[1/4] account loaded"
curl -fsS -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/accounts" | grep -q "test@example.com" \
  || fail "account not loaded"

echo "[2/4] /v1/responses relays the upstream's answer"
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" \
  -d '{"model":"gpt-5","input":[{"role":"user","content":"hi"}]}' "http://127.0.0.1:$PORT_PROXY/v1/responses")
echo "$RESP" | grep -q "PHASE_1_PASS" || fail "missing PHASE_1_PASS in: $RESP"

echo "[3/4] usage recorded"
USAGE=$(curl -fsS -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/usage")
for want in '"input_tokens":100' '"output_tokens":25' '"total_tokens":125'; do
  echo "$USAGE" | grep -q "$want" || fail "usage lacks $want: $USAGE"
done

echo "[4/4] account counters"
ACC=$(curl -fsS -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/accounts")
echo "$ACC" | grep -q '"total_input_tokens":100' || fail "total_input_tokens: $ACC"
echo "$ACC" | grep -q '"total_output_tokens":25' || fail "total_output_tokens: $ACC"

pass "PHASE 1 GATE PASS"
