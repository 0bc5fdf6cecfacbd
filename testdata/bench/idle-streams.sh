#!/usr/bin/env bash
# Memory of many concurrent idle streams: starts the bench upstream and ProxyGate (through ./proxy-gate, with the JVM
# settings it ships), opens N /v1/responses streams that stall after their first event, and reports live heap after
# a full GC, RSS, threads and file descriptors before, with every stream open, and after they close.
#   testdata/bench/idle-streams.sh [N]        N defaults to 5000
# Targets (issue 28): RSS <= 512 MiB with 5,000 streams open, <= 32 KiB of heap per stream.
# PROXYGATE_JAVA_OPTS is passed through to the launcher (to try other settings).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scale-lib.sh
. "$here/scale-lib.sh"
n=${1:-5000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
ensure_jar
compile_bench
start_upstream
r=$(mktemp -d "${TMPDIR:-/tmp}/proxygate-idle.XXXXXX")
new_root "$r"
start_server "$r" "$scale_out/idle-streams-server.log"
wait_for "http://127.0.0.1:$PG_PORT/healthz" 60
# A little traffic first so what is measured is a server that has served, not a fresh one.
for _ in $(seq 1 50); do
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"model":"gpt-bench-e3-g0","stream":true,"input":"hi"}' "http://127.0.0.1:$PG_PORT/v1/responses"
done
# IDLE_STREAMS_WARMUP_SECONDS=N: N more seconds of streamed traffic (wrk) first, so the relay path is JIT-compiled
# as on a server that has been serving for a while (a parked stream's frozen stack is smaller in compiled code).
if [ -n "${IDLE_STREAMS_WARMUP_SECONDS:-}" ]; then
  BENCH_BODY='{"model":"gpt-bench-e3-g0","stream":true,"input":"hi"}' wrk -t1 -c16 -d"${IDLE_STREAMS_WARMUP_SECONDS}s" \
    -s "$here/post.lua" "http://127.0.0.1:$PG_PORT/v1/responses" -- 0 >/dev/null 2>&1 || say "warm-up with wrk failed"
fi
sleep 2
say "opening $n idle streams (JVM options: $(tr '\0' ' ' <"/proc/$server_pid/cmdline" | sed 's/ -jar .*//'))"
"$JAVA_HOME/bin/java" -Xss256k -cp "$scale_out/classes" IdleStreams "$PG_PORT" "$n" "$server_pid" \
  | tee "$scale_out/idle-streams.txt"
peak=$(peak_rss_mib "$server_pid")
echo "peak_rss_mib=$peak" | tee -a "$scale_out/idle-streams.txt"
awk -F= -v n="$n" '
  /^loaded_rss_kib=/ { rss=$2/1024 } /^heap_per_stream_kib=/ { h=$2 } /^streams_open=/ { open=$2 }
  END { printf "summary: %d/%d streams open, RSS %.0f MiB (target <= 512: %s), heap %.1f KiB/stream (target <= 32: %s)\n",
        open, n, rss, (rss<=512?"met":"missed"), h, (h<=32?"met":"missed") }' "$scale_out/idle-streams.txt"
stop_server
rm -rf "$r"
