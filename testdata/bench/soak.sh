#!/usr/bin/env bash
# Soak test (issue 28): ProxyGate, started through ./proxy-gate serve with the JVM settings the launcher ships
# (scripts/jvm-options.sh), under 200 req/s non-streamed (chat completions and responses alternating) plus 500
# streams held open the whole time (one event a second, 40-80 s each, re-opened as they end; /v1/responses,
# /v1/messages, streamed /v1/chat/completions and Messages translated to Responses). Every 60 s: live heap after a
# full GC, OS threads, open file descriptors, RSS, requests, errors, streams open/done/failed.
#   testdata/bench/soak.sh            the full soak: PT30M
#   testdata/bench/soak.sh PT3M       a short check (DURATION: PT30M, 30m, 180s...)
# Growth bounds, judged after a 5-minute warm-up (a third of DURATION when shorter) as the median of the last third
# of the samples minus the median of the first third: live heap after a full GC <= +5 % or +4 MiB (whichever is
# larger), threads <= +10, fds <= +20, RSS <= +32 MiB; zero request errors and zero failed streams; and the load
# really there at every judged sample (>= 95 % of the rate, >= 95 % of the streams open). SOAK.md explains why.
# Exits 1 with a "SOAK FAILED: <metric> ..." line for each bound broken. Report: out/soak.md; class histograms and
# thread dumps at the baseline and the end: out/soak-histo-*.txt, out/soak-threads-*.txt; server log:
# out/soak-server.log. Runs under 15 minutes sample every DURATION/15 (at least 10 s) instead of every 60 s.
# Environment: SOAK_RATE (200), SOAK_STREAMS (500), SOAK_INTERVAL, SOAK_WARMUP (5m), SCALE_PORT_BASE (28380:
# upstream +0, ProxyGate +10/+11), PROXYGATE_JAVA_OPTS (passed to the launcher, after its own options).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCALE_PORT_BASE=${SCALE_PORT_BASE:-28380}
# shellcheck source=scale-lib.sh
. "$here/scale-lib.sh"
duration=${1:-PT30M}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

for port in "$UPSTREAM_PORT" "$PG_PORT" "$PG_ADMIN_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "error: port $port is in use (another benchmark?); set SCALE_PORT_BASE to move the soak's ports" >&2
    exit 2
  fi
done
ensure_jar
compile_bench
start_upstream
r=$(mktemp -d "${TMPDIR:-/tmp}/proxygate-soak.XXXXXX")
new_root "$r"
# The Anthropic key leaves claude-xlate-* to [translate], which sends them to the Responses upstream.
printf '{"id":"anthropic-bench","type":"anthropic","api_key":"sk-ant-test-bench","exclude_models":["claude-xlate-*"]}' \
  >"$r/pool/apikeys/anthropic-bench.json"
{
  printf '[translate]\nenabled = true\n[translate.models]\n'
  for e in 40 50 60 70 80; do printf '"claude-xlate-e%s-g1000" = "gpt-bench-e%s-g1000"\n' "$e" "$e"; done
} >"$r/config.toml"
log="$scale_out/soak-server.log"

start_server "$r" "$log"
wait_for "http://127.0.0.1:$PG_PORT/healthz" 60
# A user's server runs with the launcher's start-up cache, written when the first run after a build stops. If this
# start is that training run, stop it (so the cache is written) and start again: the soak measures the usual start.
if tr '\0' '\n' <"/proc/$server_pid/cmdline" | grep -q -- '^-XX:AOTCacheOutput='; then
  say "first start after a build (it trains the launcher's start-up cache): restarting once"
  for _ in $(seq 1 20); do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
      -d '{"model":"gpt-bench-e3-g0","stream":true,"input":"hi"}' "http://127.0.0.1:$PG_PORT/v1/responses"
  done
  stop_server
  start_server "$r" "$log"
  wait_for "http://127.0.0.1:$PG_PORT/healthz" 60
fi
say "ProxyGate pid $server_pid, JVM options: $(tr '\0' ' ' <"/proc/$server_pid/cmdline" | sed 's/ -jar .*//')"

set +e
"$JAVA_HOME/bin/java" -Xmx256m -cp "$scale_out/classes" Soak "$PG_PORT" "$server_pid" "$duration" "$scale_out" \
  | tee "$scale_out/soak.txt"
rc=${PIPESTATUS[0]}
set -e
log_errors=$(grep -c '^ERROR' "$log" || true)
log_warnings=$(grep -c '^WARN' "$log" || true)
say "server log: $log_errors ERROR and $log_warnings WARN lines ($log)"
{
  echo
  echo "JVM: \`$(tr '\0' ' ' <"/proc/$server_pid/cmdline" | sed 's/ -jar .*//')\` (the launcher's, scripts/jvm-options.sh)."
  echo "Server log: $log_errors ERROR and $log_warnings WARN lines."
} >>"$scale_out/soak.md"
stop_server
rm -rf "$r"
if [ "$rc" -eq 0 ]; then say "soak passed"; else say "soak FAILED (exit $rc): see the SOAK FAILED lines above"; fi
exit "$rc"
