#!/usr/bin/env bash
# /v1/messages side by side: straight to the bench upstream (A), through ProxyGate (B) and through
# claude-code-router (D, npm @musistudio/claude-code-router 1.0.73, its Anthropic pass-through transformer pointed
# at the same upstream). Non-streamed, wrk with post.lua at 100 and 500 req/s and at saturation (32 connections);
# RSS of each gateway at the end. Run by run.sh after the main scenarios (BENCH_SKIP_PEER=1 skips it), or alone:
#   testdata/bench/peer-ccr.sh [SECONDS]      seconds per measurement, default 5
# Writes a Markdown table on stdout. Needs node + npm (installs into peer-ccr/node_modules) and wrk.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scale-lib.sh
. "$here/scale-lib.sh"
secs=${1:-5}
CCR_PORT=$((SCALE_PORT_BASE + 20))
command -v node >/dev/null && command -v npm >/dev/null || { echo "peer-ccr: node and npm are needed" >&2; exit 1; }
cli="$here/peer-ccr/node_modules/@musistudio/claude-code-router/dist/cli.js"
if [ ! -f "$cli" ]; then
  (cd "$here/peer-ccr" && npm install --no-audit --no-fund --loglevel=error >/dev/null 2>&1) \
    || { echo "peer-ccr: could not install @musistudio/claude-code-router" >&2; exit 1; }
fi
ensure_jar
compile_bench
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
start_upstream
r=$(mktemp -d "${TMPDIR:-/tmp}/proxygate-ccr.XXXXXX")
new_root "$r"
start_server "$r" "$scale_out/peer-ccr-proxygate.log"
wait_for "http://127.0.0.1:$PG_PORT/healthz" 120
# claude-code-router reads ~/.claude-code-router/config.json: a HOME of its own keeps the user's untouched.
mkdir -p "$r/ccr-home/.claude-code-router"
cat >"$r/ccr-home/.claude-code-router/config.json" <<JSON
{"HOST": "127.0.0.1", "PORT": $CCR_PORT, "LOG": false, "API_TIMEOUT_MS": 600000,
 "Providers": [{"name": "mock", "api_base_url": "http://127.0.0.1:$UPSTREAM_PORT/v1/messages",
                "api_key": "sk-ant-test-bench", "models": ["claude-bench"], "transformer": {"use": ["Anthropic"]}}],
 "Router": {"default": "mock,claude-bench"}}
JSON
HOME="$r/ccr-home" node "$cli" start >"$scale_out/peer-ccr.log" 2>&1 &
scale_pids+=($!)
wait_for "http://127.0.0.1:$CCR_PORT/" 60 any
ccr_pid=$(ss -ltnpH "sport = :$CCR_PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)

body='{"model":"claude-bench","max_tokens":256,"messages":[{"role":"user","content":"Say hello."}]}'
# claude-code-router routes by "provider,model" in the model field; the upstream sees the same model either way.
ccr_body='{"model":"mock,claude-bench","max_tokens":256,"messages":[{"role":"user","content":"Say hello."}]}'
run_wrk() { # run_wrk PORT BODY RATE -> "rps p50 p99" (ms)
  local conns=$(( $3 == 0 ? 32 : 20 ))
  BENCH_BODY=$2 BENCH_HEADERS="anthropic-version: 2023-06-01|x-api-key: sk-ant-test-bench|" \
    wrk -t1 -c"$conns" -d"${secs}s" --timeout 5s -s "$here/post.lua" "http://127.0.0.1:$1/v1/messages" -- "$3" 2>/dev/null \
    | grep -o '{"requests".*}' | python3 -c 'import json,sys
d=json.loads(sys.stdin.read()); r=d["requests"]*1e6/max(1,d["duration_us"])
e=d.get("socket_errors",0)+d.get("status_errors",0)+d.get("timeouts",0)
print("%.0f %.3f %.3f %d" % (r, d["p50"]/1000, d["p99"]/1000, e))'
}
for t in "A direct:$UPSTREAM_PORT:$body" "B ProxyGate:$PG_PORT:$body" "D claude-code-router:$CCR_PORT:$ccr_body"; do
  port=${t#*:}; port=${port%%:*}; b=${t#*:*:}
  run_wrk "$port" "$b" 0 >/dev/null   # warm-up
done
echo "| load | target | req/s | p50 (ms) | p99 (ms) | errors |"
echo "|---|---|---:|---:|---:|---:|"
for rate in 100 500 0; do
  label="@ $rate req/s"; [ "$rate" = 0 ] && label="@ saturation"
  for t in "A direct:$UPSTREAM_PORT:$body" "B ProxyGate:$PG_PORT:$body" "D claude-code-router:$CCR_PORT:$ccr_body"; do
    name=${t%%:*}; port=${t#*:}; port=${port%%:*}; b=${t#*:*:}
    read -r rps p50 p99 err <<<"$(run_wrk "$port" "$b" "$rate")"
    echo "| /v1/messages $label | $name | $rps | $p50 | $p99 | $err |"
  done
done
echo
echo "RSS at the end: ProxyGate $(rss_mib "$server_pid") MiB, claude-code-router $( [ -n "$ccr_pid" ] && rss_mib "$ccr_pid" || echo '?') MiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$ccr_pid" ] && kill "$ccr_pid" 2>/dev/null
stop_server
rm -rf "$r"
