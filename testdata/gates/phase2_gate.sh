#!/usr/bin/env bash
# Phase 2 gate: plan tier, disable/enable through the admin API, pinning, wham polling.
. "$(dirname "$0")/lib.sh"
read -r PORT_UP PORT_PROXY <<<"$(free_ports 2)"
TOKEN=phase2-gate-token
start_upstream 2 $PORT_UP
mkdir -p "$POOLDIR/chatgpt"
cat > "$POOLDIR/chatgpt/alpha.json" <<JSON
{ "email":"alpha@x.com","account_id":"acc-alpha","plan_type":"pro","access_token":"tok-a","refresh_token":"r","expires_at":"2099-12-31T00:00:00Z","created_at":"2026-04-26T00:00:00Z" }
JSON
cat > "$POOLDIR/chatgpt/beta.json" <<JSON
{ "email":"beta@x.com","account_id":"acc-beta","plan_type":"plus","access_token":"tok-b","refresh_token":"r","expires_at":"2099-12-31T00:00:00Z","created_at":"2026-04-26T00:00:00Z" }
JSON
start_proxy PROXYGATE_CHATGPT_BASE_URL="http://127.0.0.1:$PORT_UP/responses" \
  PROXYGATE_CHATGPT_USAGE_URL="http://127.0.0.1:$PORT_UP/wham/usage"

echo "[1/4] both accounts loaded"
COUNT=$(curl -fsS -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/accounts" | grep -o "@x.com" | wc -l | tr -d ' ')
[ "$COUNT" = "2" ] || fail "expected 2 accounts, got $COUNT"

echo "[2/4] disable alpha -> request routes to beta"
curl -fsS -X POST -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/accounts/alpha@x.com/disable" >/dev/null
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" -d '{"model":"gpt-5"}' "http://127.0.0.1:$PORT_PROXY/v1/responses")
echo "$RESP" | grep -q "resp_acc-beta" || fail "expected beta routing: $RESP"

echo "[3/4] re-enable alpha -> Pro outranks Plus"
curl -fsS -X POST -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/accounts/alpha@x.com/enable" >/dev/null
RESP=$(curl -fsS -X POST -H "Content-Type: application/json" -d '{"model":"gpt-5"}' "http://127.0.0.1:$PORT_PROXY/v1/responses")
echo "$RESP" | grep -q "resp_acc-alpha" || fail "expected alpha (Pro outranks Plus): $RESP"

echo "[4/4] conversation pin: previous_response_id goes back to the account that created it"
RESP_A=$(curl -fsS -X POST -H "Content-Type: application/json" -d '{"model":"gpt-5","stream":true}' "http://127.0.0.1:$PORT_PROXY/v1/responses")
OWNER=$(echo "$RESP_A" | grep -o 'resp_acc-[a-z]*' | head -1)
[ -n "$OWNER" ] || fail "no response id in: $RESP_A"
for i in 1 2 3; do
  RESP_B=$(curl -fsS -X POST -H "Content-Type: application/json" -d "{\"model\":\"gpt-5\",\"previous_response_id\":\"$OWNER\"}" "http://127.0.0.1:$PORT_PROXY/v1/responses")
  echo "$RESP_B" | grep -q "$OWNER" || fail "follow-up $i left the pinned account $OWNER: $RESP_B"
done
# The wham poll runs at start, so the usage windows must be there shortly after.
deadline=$((SECONDS + 20))
until curl -fsS -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/accounts" | grep -q '"primary_used_pct":0.425'; do
  [ $SECONDS -lt $deadline ] || fail "wham usage not applied (primary_used_pct 0.425)"
  sleep 0.5
done

pass "PHASE 2 GATE PASS"
