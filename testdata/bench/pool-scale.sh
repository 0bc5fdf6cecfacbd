#!/usr/bin/env bash
# Scale of the pool: N credential files (gen-pool.py: 40 % ChatGPT OAuth, 30 % Claude OAuth, 30 % API keys), then
# ProxyGate through ./proxy-gate serve (its shipped JVM settings). Measures: time to a healthy /healthz with the
# pool against the same start with a 2-credential pool (the difference is the pool's load), RSS and live heap,
# a hot-reload (one key file disabled on disk -> /admin/keys says so), and the admin routes the dashboard's first
# load calls (first call and p95 of 20).
#   testdata/bench/pool-scale.sh [N]      N defaults to 10000
# Targets (issue 28): load <= 2 s, RSS <= 256 MiB, hot-reload applied within 1 s, /admin/accounts and the
# dashboard's first load < 200 ms.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scale-lib.sh
. "$here/scale-lib.sh"
n=${1:-10000}
ensure_jar
compile_bench
start_upstream
mock="http://127.0.0.1:$UPSTREAM_PORT"
# Nothing may reach a real provider: usage polls, token refreshes and ChatGPT traffic all go to the bench upstream.
export PROXYGATE_UPSTREAM_CHATGPT_BASE_URL="$mock/backend-api" PROXYGATE_UPSTREAM_CHATGPT_USAGE_URL="$mock/usage" \
  PROXYGATE_UPSTREAM_CLAUDE_USAGE_URL="$mock/usage" PROXYGATE_UPSTREAM_ANTHROPIC_API_BASE_URL="$mock" \
  PROXYGATE_OAUTH_OPENAI_ISSUER="$mock" PROXYGATE_OAUTH_ANTHROPIC_TOKEN_URL="$mock/oauth/token"

start_timed() { # start_timed ROOT LABEL: sets started_ms (launcher started -> healthy)
  local t0
  t0=$(now_ms)
  start_server "$1" "$scale_out/pool-scale-$2.log"
  wait_for "http://127.0.0.1:$PG_PORT/healthz" 120
  started_ms=$(( $(now_ms) - t0 ))
}

# Two starts of each, small pool first; the first start after a build trains the launcher's cache, so it runs once
# before anything is timed.
small=$(mktemp -d "${TMPDIR:-/tmp}/proxygate-pool-small.XXXXXX"); new_root "$small"
big=$(mktemp -d "${TMPDIR:-/tmp}/proxygate-pool-big.XXXXXX"); new_root "$big"
python3 "$here/gen-pool.py" "$big/pool" "$n" >&2
start_timed "$small" warmup; stop_server
start_timed "$small" small1; s1=$started_ms; stop_server
start_timed "$big" big1; b1=$started_ms; stop_server
start_timed "$small" small2; s2=$started_ms; stop_server
start_timed "$big" big2; b2=$started_ms
say "healthy after: small pool $s1 / $s2 ms, $n credentials $b1 / $b2 ms"
status=$(curl -s -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:$PG_PORT/admin/status")
echo "status_at_healthy=$(printf '%s' "$status" | head -c 400)"

# The admin routes the dashboard's first load calls, first call each (cold), then p95 of 20.
routes=(/admin/status /admin/accounts /admin/claude-accounts /admin/keys /admin/usage /admin/usage/cost)
for p in "${routes[@]}"; do
  echo "first $p $(admin_get "$p" | awk '{printf "%.1f ms (status %s)", $2*1000, $1}')"
done
t0=$(now_ms)
loaders=()
for p in "${routes[@]}"; do admin_get "$p" >/dev/null & loaders+=($!); done
curl -s -o /dev/null "http://127.0.0.1:$PG_PORT/"
wait "${loaders[@]}"
echo "dashboard_parallel_load_ms=$(( $(now_ms) - t0 ))"
for p in "${routes[@]}"; do
  echo "p50/p95/max $p $(time_path 20 "$p") ms"
done
sleep 2
echo "rss_mib=$(rss_mib "$server_pid") peak_rss_mib=$(peak_rss_mib "$server_pid") heap_after_gc_kib=$(heap_after_gc_kib "$server_pid")"

# Hot reload: disable one API key on disk, poll /admin/keys until it says so.
f="$big/pool/apikeys/scale-key-00007.json"
python3 - "$f" <<'PY'
import json, os, sys
p = sys.argv[1]; d = json.load(open(p)); d["disabled"] = True
tmp = p + ".tmp"; json.dump(d, open(tmp, "w")); os.chmod(tmp, 0o600); os.replace(tmp, p)
PY
t0=$(now_ms)
applied="" last_miss=0
while [ $(( $(now_ms) - t0 )) -lt 10000 ]; do
  asked=$(( $(now_ms) - t0 ))
  if curl -s -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:$PG_PORT/admin/keys" \
     | tr '{' '\n' | grep '"scale-key-00007"' | grep -q '"disabled":true'; then
    applied=$(( $(now_ms) - t0 )); break
  fi
  last_miss=$asked
done
# The change landed after the last poll that did not see it was asked and before the first that did answered.
echo "hot_reload_ms=${applied:-not applied within 10 s} (not yet at ${last_miss} ms)"
echo "rss_mib_end=$(rss_mib "$server_pid") threads=$(threads_of "$server_pid")"
stop_server
rm -rf "$small" "$big"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (shared machine)"
