# Sourced by the round-2 scale scripts (startup.sh, idle-streams.sh, pool-scale.sh, usage-scale.sh) and soak.sh:
# starts the bench upstream and ProxyGate (through the ./proxy-gate launcher, so with the JVM settings it ships) on
# their own ports, and reads memory from /proc and jcmd. Everything listens on 127.0.0.1.
# Ports: SCALE_PORT_BASE (default 28180): +0 upstream, +10 ProxyGate API, +11 ProxyGate admin.
set -euo pipefail
scale_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scale_root="$(cd "$scale_here/../.." && pwd)"
# shellcheck source=../../scripts/find-java.sh
. "$scale_root/scripts/find-java.sh"
find_java21
SCALE_PORT_BASE=${SCALE_PORT_BASE:-28180}
UPSTREAM_PORT=$((SCALE_PORT_BASE))
PG_PORT=$((SCALE_PORT_BASE + 10))
PG_ADMIN_PORT=$((SCALE_PORT_BASE + 11))
ADMIN_TOKEN=scale-admin-token
scale_out="$scale_here/out"
jar="$scale_root/bootstrap/target/proxy-gate.jar"
mkdir -p "$scale_out/classes"
scale_pids=()

scale_cleanup() {
  local p
  for p in ${scale_pids[@]+"${scale_pids[@]}"}; do kill "$p" 2>/dev/null || true; done
  for p in ${scale_pids[@]+"${scale_pids[@]}"}; do
    for _ in $(seq 1 200); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
}
trap scale_cleanup EXIT

say() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

now_ms() { date +%s%3N; }

ensure_jar() {
  # The launcher's test (./proxy-gate): a module's main sources or a build file newer than the jar.
  if [ ! -f "$jar" ] || [ -n "$(find "$scale_root"/*/src/main -newer "$jar" -type f -print -quit 2>/dev/null)" ] \
     || [ -n "$(find "$scale_root" -maxdepth 2 -name pom.xml -newer "$jar" -print -quit)" ]; then
    say "building ProxyGate..."
    (cd "$scale_root" && mvn -B -q -DskipTests package) >&2
  fi
}

compile_bench() {
  "$JAVA_HOME/bin/javac" -nowarn -d "$scale_out/classes" "$scale_here"/*.java
}

start_upstream() {
  "$JAVA_HOME/bin/java" -Dsun.net.httpserver.nodelay=true -cp "$scale_out/classes" BenchUpstream "$UPSTREAM_PORT" \
    >"$scale_out/scale-upstream.log" 2>&1 &
  upstream_pid=$!
  scale_pids+=("$upstream_pid")
  wait_for "http://127.0.0.1:$UPSTREAM_PORT/" 30 any
}

# new_root DIR: a data folder and a pool with one OpenAI and one Anthropic key pointed at the bench upstream
new_root() {
  local r=$1
  mkdir -p "$r/pool/apikeys" "$r/pool/chatgpt" "$r/pool/claude" "$r/data"
  printf '{"id":"openai-bench","type":"openai","api_key":"sk-test-bench-openai"}' >"$r/pool/apikeys/openai-bench.json"
  printf '{"id":"anthropic-bench","type":"anthropic","api_key":"sk-ant-test-bench"}' >"$r/pool/apikeys/anthropic-bench.json"
}

# start_server ROOT LOG: ./proxy-gate serve in the background; sets server_pid (the JVM: the launcher execs java)
start_server() {
  local r=$1 log=$2
  (
    cd "$r"
    export PROXYGATE_ADDR="127.0.0.1:$PG_PORT" PROXYGATE_ADMIN_ADDR="127.0.0.1:$PG_ADMIN_PORT" \
      PROXYGATE_DATA_DIR="$r/data" PROXYGATE_POOL_DIR="$r/pool" PROXYGATE_PRICING_SOURCE=builtin \
      PROXYGATE_ADMIN_TOKEN="$ADMIN_TOKEN" \
      PROXYGATE_UPSTREAM_OPENAI_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT/v1" \
      PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT" \
      PROXYGATE_UPSTREAM_MAX_CONNECTIONS_PER_ROUTE=8192
    exec "$scale_root/proxy-gate" serve
  ) >"$log" 2>&1 &
  server_pid=$!
  scale_pids+=("$server_pid")
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  # Up to 2 minutes: a JVM that trained the AOT cache assembles it while it stops (half a minute at load 15).
  for _ in $(seq 1 1200); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}

# wait_for URL SECONDS [any]: until the URL answers 200 (or anything with "any")
wait_for() {
  local url=$1 limit=$2 mode=${3:-200} deadline code
  deadline=$(( $(now_ms) + limit * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)
    if [ "$mode" = any ] && [ -n "$code" ] && [ "$code" != 000 ]; then return 0; fi
    [ "$code" = 200 ] && return 0
    sleep 0.01
  done
  echo "error: $url did not answer within ${limit}s" >&2
  return 1
}

rss_mib() { awk '/^VmRSS:/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
peak_rss_mib() { awk '/^VmHWM:/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
threads_of() { awk '/^Threads:/ {print $2}' "/proc/$1/status"; }

# live heap after a full GC, in KiB
heap_after_gc_kib() {
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null
  "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info | awk '/ total / && match($0, /used [0-9]+K/) { s += substr($0, RSTART+5, RLENGTH-6) } END { print s+0 }'
}

admin_get() { # admin_get PATH: prints "http_code seconds"
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $ADMIN_TOKEN" \
    "http://127.0.0.1:$PG_PORT$1"
}

# p95_ms N PATH: N timed GETs of an admin path; prints "p50 p95 max" in ms (and fails on a non-200)
time_path() {
  local n=$1 path=$2 i line code
  local times=()
  for i in $(seq 1 "$n"); do
    line=$(admin_get "$path"); code=${line%% *}
    if [ "$code" != 200 ]; then echo "error: GET $path answered $code" >&2; return 1; fi
    times+=("${line#* }")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{v[NR]=$1*1000} END {
    p50=v[int((NR+1)*0.5)]; i95=int(NR*0.95+0.999); if (i95<1) i95=1; p95=v[i95];
    printf "%.1f %.1f %.1f\n", p50, p95, v[NR] }'
}
