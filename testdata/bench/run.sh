#!/usr/bin/env bash
# ProxyGate benchmark: one command. Builds the jar if needed, installs wrk (Debian) and the peer gateway (npm) when
# missing, then runs every scenario and rewrites RESULTS.md beside this script.
#   testdata/bench/run.sh            full run (~10 min on 2 cores)
#   testdata/bench/run.sh --quick    short run (~3 min), writes RESULTS-quick.md
#   testdata/bench/run.sh --soak=30m the soak test instead: runs soak.sh 30m (see there)
# Set BENCH_SKIP_PEER=1 to leave the peer gateway out. Everything listens on 127.0.0.1 only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for arg in "$@"; do
  case "$arg" in
    --soak) exec "$here/soak.sh" ;;
    --soak=*) exec "$here/soak.sh" "${arg#--soak=}" ;;
  esac
done
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../../scripts/find-java.sh
. "$root/scripts/find-java.sh"
find_java21

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing wrk..." >&2
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }
  else
    echo "error: the benchmark needs wrk (Debian/Ubuntu: apt-get install wrk)" >&2; exit 1
  fi
fi

jar="$root/bootstrap/target/proxy-gate.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/*/src/main/*" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
  echo "building ProxyGate..." >&2
  (cd "$root" && mvn -B -q -DskipTests package) >&2
fi

peer_args=()
if [ -z "${BENCH_SKIP_PEER:-}" ] && command -v node >/dev/null && command -v npm >/dev/null; then
  if [ ! -d "$here/peer/node_modules/@portkey-ai/gateway" ]; then
    echo "installing the peer gateway (npm)..." >&2
    (cd "$here/peer" && npm install --no-audit --no-fund --loglevel=error >/dev/null 2>&1) \
      || echo "warning: could not install @portkey-ai/gateway; running without the peer" >&2
  fi
  script="$here/peer/node_modules/@portkey-ai/gateway/build/start-server.js"
  [ -f "$script" ] && peer_args=(--peer="$script" --node="$(command -v node)")
fi

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
out="$here/out"
mkdir -p "$out/classes"
"$JAVA_HOME/bin/javac" -nowarn -d "$out/classes" "$here/Bench.java" "$here/BenchUpstream.java"
"$JAVA_HOME/bin/java" -cp "$out/classes" Bench --bench-dir="$here" --jar="$jar" --out="$out" \
  ${peer_args[@]+"${peer_args[@]}"} "$@"
# The second peer, for /v1/messages only: claude-code-router (peer-ccr.sh; its table goes to out/peer-ccr.md).
if [ -z "${BENCH_SKIP_PEER:-}" ] && command -v node >/dev/null && command -v npm >/dev/null; then
  "$here/peer-ccr.sh" | tee "$out/peer-ccr.md" || echo "warning: the claude-code-router comparison failed" >&2
fi
