#!/usr/bin/env bash
# Does folding old request-log rows ([usage] retention) hold up requests? Fills a SQLite request log with ROWS rows
# over DAYS days (gen-usage.sh; half of them older than the 90-day retention with the defaults), then starts the
# server twice on it under the same load (wrk at RATE req/s on /v1/chat/completions: WARM s from the moment /healthz
# answers, not measured, then SECONDS s measured; the fold must still be running by then, so give it enough rows):
#   keep: retention 10 years, nothing to fold (the baseline);
#   fold: retention 90 days (the default), so the start's retention pass folds every row older than that.
# For each: latency p50/p99/max and errors, /healthz's status sampled every 250 ms (how often "degraded"), the
# request log's largest backlog and its dropped rows (admin metrics), and what the retention pass logged and when.
#   testdata/bench/retention.sh [ROWS] [DAYS] [RATE] [SECONDS] [WARM]
# Defaults: 10,000,000 rows over 180 days (5 M to fold), 500 req/s, 60 s measured after 30 s of warm-up.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scale-lib.sh
. "$here/scale-lib.sh"
rows=${1:-10000000} days=${2:-180} rate=${3:-500} seconds=${4:-60} warm=${5:-30}
ensure_jar
compile_bench
start_upstream
root=$(mktemp -d "${TMPDIR:-/tmp}/proxygate-retention.XXXXXX")
trap 'scale_cleanup; rm -rf "$root"' EXIT
new_root "$root"
db="$root/data/proxygate.db"
metric() { # metric NAME: a gauge's value from the admin port's metrics
  curl -s "http://127.0.0.1:$PG_ADMIN_PORT/metrics" | python3 -c \
    "import json,sys; print(json.load(sys.stdin)['gauges']['$1']['value'])"
}

say "schema: one start and stop on an empty data folder"
export PROXYGATE_USAGE_RETENTION=3650d
start_server "$root" "$scale_out/retention-schema.log"
wait_for "http://127.0.0.1:$PG_PORT/healthz" 120
stop_server
say "rows: $rows over $days days"
"$here/gen-usage.sh" sqlite "$db" "$rows" "$days" 2>/dev/null
say "the first start after the rows sums them into the usage summary (the upgrade's backfill); not measured"
start_server "$root" "$scale_out/retention-backfill.log"
wait_for "http://127.0.0.1:$PG_PORT/healthz" 600
stop_server
old=$(sqlite3 "$db" "SELECT count(*) FROM request_log WHERE started_at < $(( $(now_ms) - 90 * 86400000 )) AND route <> 'rollup'")
say "$old rows older than 90 days"

export BENCH_BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello."}]}'
export BENCH_HEADERS='Authorization: Bearer sk-test-bench-openai|'
report="$scale_out/retention.md"
{
  echo "| run | retention | latency p50 / p99 / max (ms), after ${warm} s of the same load | errors | /healthz degraded (samples) | request-log backlog max | dropped | retention pass |"
  echo "|---|---|---|---:|---|---:|---:|---|"
} >"$report"
for run in keep fold; do
  if [ "$run" = keep ]; then export PROXYGATE_USAGE_RETENTION=3650d; else export PROXYGATE_USAGE_RETENTION=90d; fi
  log="$scale_out/retention-$run.log"
  start_server "$root" "$log"
  wait_for "http://127.0.0.1:$PG_PORT/healthz" 600
  healthy_at=$(date -u +%H:%M:%S)
  wrk -t1 -c20 -d"${warm}s" --timeout 10s -s "$here/post.lua" "http://127.0.0.1:$PG_PORT/v1/chat/completions" \
    -- "$rate" >/dev/null 2>&1
  wrk -t1 -c20 -d"${seconds}s" --timeout 10s -s "$here/post.lua" "http://127.0.0.1:$PG_PORT/v1/chat/completions" \
    -- "$rate" >"$scale_out/retention-$run-wrk.txt" 2>&1 &
  wrk_pid=$!
  degraded=0 samples=0 backlog=0
  while kill -0 "$wrk_pid" 2>/dev/null; do
    status=$(curl -s --max-time 1 "http://127.0.0.1:$PG_PORT/healthz" | python3 -c \
      "import json,sys; print(json.load(sys.stdin).get('status'))" 2>/dev/null || echo none)
    samples=$((samples + 1))
    [ "$status" = ok ] || degraded=$((degraded + 1))
    pending=$(metric proxygate.request_log.pending 2>/dev/null || echo 0)
    [ "$pending" -gt "$backlog" ] && backlog=$pending
    sleep 0.25
  done
  wait "$wrk_pid" || true
  dropped=$(metric proxygate.request_log.dropped)
  json=$(grep -o '{"requests".*}' "$scale_out/retention-$run-wrk.txt")
  lat=$(python3 -c "import json,sys; j=json.loads(sys.argv[1]); print('%.2f / %.2f / %.1f' % (j['p50']/1000, j['p99']/1000, j['max']/1000))" "$json")
  errors=$(python3 -c "import json,sys; j=json.loads(sys.argv[1]); print(j['socket_errors']+j['status_errors']+j['timeouts'])" "$json")
  pass=$(grep 'usage retention: folded' "$log" | sed -E 's/^[A-Z]+ +\[[0-9-]+ ([0-9:]+),[0-9]+\].*folded ([0-9,]+) .*/folded \2 rows, done at \1/' | head -1 || true)
  [ -z "$pass" ] || pass="healthy at $healthy_at, $pass"
  stop_server
  echo "| $run | $PROXYGATE_USAGE_RETENTION | $lat | $errors | $degraded of $samples | $backlog | $dropped | ${pass:-nothing folded} |" >>"$report"
  say "$run: $lat ms, errors $errors, degraded $degraded of $samples, backlog max $backlog, dropped $dropped, ${pass:-nothing folded}"
done
left=$(sqlite3 "$db" "SELECT count(*) FROM request_log WHERE started_at < $(( $(now_ms) - 90 * 86400000 )) AND route <> 'rollup'")
echo "" >>"$report"
echo "$rows rows over $days days, $old of them older than 90 days before the fold run, $left after it; load average $(cut -d' ' -f1-3 /proc/loadavg)." >>"$report"
cat "$report"
