#!/usr/bin/env bash
# Start-up of ProxyGate through ./proxy-gate serve (the launcher, with the JVM settings and the ahead-of-time cache
# it ships): cold (no cache beside the jar: this run trains it, and it is written when the server stops) and warm
# (later starts, using the cache). Time = launcher started -> first 200 from /healthz; idle RSS 3 s and 15 s after
# (the JVM gives the native memory of start-up's compilations back every 5 s: the later figure is a server at rest).
#   testdata/bench/startup.sh [WARM_RUNS]     default 5
# Every start gets a new data folder (a first start: the database is created and migrated), unless
# STARTUP_SAME_DATA=1: then all starts share one, so the warm ones are restarts of an install whose database is current.
# Targets (issue 28): warm <= 1 s, cold <= 3 s, idle RSS <= 128 MiB.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scale-lib.sh
. "$here/scale-lib.sh"
runs=${1:-5}
ensure_jar
compile_bench
base=${jar%.jar}

one_start() { # one_start LABEL: prints "LABEL ms rss_mib stop_ms cpu_ms=N rss15_mib=N"
  local label=$1 r t0 t1 rss s0 s1
  if [ -n "${shared_root:-}" ]; then
    r=$shared_root
  else
    r=$(mktemp -d "${TMPDIR:-/tmp}/proxygate-start.XXXXXX")
    new_root "$r"
  fi
  t0=$(now_ms)
  start_server "$r" "$scale_out/startup-$label.log"
  wait_for "http://127.0.0.1:$PG_PORT/healthz" 60
  t1=$(now_ms)
  # CPU time the JVM used to get there (all threads, user + system): on a shared machine the wall time above also
  # counts waiting for a core, this does not.
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$server_pid/stat")
  sleep 3
  rss=$(rss_mib "$server_pid")
  sleep 12
  rss15=$(rss_mib "$server_pid")
  s0=$(now_ms)
  stop_server
  s1=$(now_ms)
  [ -n "${shared_root:-}" ] || rm -rf "$r"
  echo "$label $((t1 - t0)) $rss $((s1 - s0)) cpu_ms=$cpu rss15_mib=$rss15"
}

rm -f "$base".*.aot "$base".*.jsa
shared_root=
if [ "${STARTUP_SAME_DATA:-0}" = 1 ]; then
  shared_root=$(mktemp -d "${TMPDIR:-/tmp}/proxygate-start.XXXXXX")
  new_root "$shared_root"
  trap 'scale_cleanup; rm -rf "$shared_root"' EXIT
fi
say "cold start (no cache; the run trains it and writes it at stop)"
cold=$(one_start cold)
echo "$cold"
# On JDK 25 the trained JVM has a child JVM assemble the cache while it stops. When that stop outlasts stop_server's
# patience and the JVM is killed, the child lives on, with the server's listening sockets, until the cache is written:
# the warm runs wait for it rather than fail to bind or start without the cache.
for _ in $(seq 1 240); do
  ls "$base".*.aot >/dev/null 2>&1 || ls "$base".*.jsa >/dev/null 2>&1 || { sleep 0.5; continue; }
  pgrep -f -- "$jar" >/dev/null 2>&1 || break
  sleep 0.5
done
if ls "$base".*.aot >/dev/null 2>&1 || ls "$base".*.jsa >/dev/null 2>&1; then
  say "cache written: $(ls -s --block-size=M "$base".*.aot "$base".*.jsa 2>/dev/null | tr '\n' ' ')"
else
  say "warning: no cache was written beside the jar"
fi
warm=()
for i in $(seq 1 "$runs"); do
  w=$(one_start "warm$i"); echo "$w"; warm+=("$w")
done
say "without any cache (PROXYGATE_AOT=off), for comparison"
export PROXYGATE_AOT=off
plain=$(one_start plain); echo "$plain"
unset PROXYGATE_AOT
median() { sort -n | awk '{ v[NR]=$1 } END { print v[int((NR+1)/2)] }'; }
m=$(printf '%s\n' "${warm[@]}" | awk '{print $2}' | median)
r=$(printf '%s\n' "${warm[@]}" | awk '{print $3}' | median)
read -r _ cms _ cstop ccpu _ <<<"$cold"
read -r _ pms _ _ pcpu _ <<<"$plain"
wcpu=$(printf '%s\n' "${warm[@]}" | sed 's/.*cpu_ms=\([0-9]*\).*/\1/' | median)
r15=$(printf '%s\n' "${warm[@]}" | sed 's/.*rss15_mib=//' | median)
verdict() { if [ "$1" -le "$2" ]; then echo met; else echo missed; fi; }
echo "summary: cold ${cms} ms, CPU ${ccpu#cpu_ms=} ms (target <= 3000: $(verdict "$cms" 3000); its stop, writing the cache, took ${cstop} ms)," \
  "warm median ${m} ms of ${runs} (target <= 1000: $(verdict "$m" 1000)), idle RSS warm median ${r} MiB" \
  "(target <= 128: $(verdict "$r" 128)), 15 s after healthy ${r15} MiB (target: $(verdict "$r15" 128))," \
  "without a cache ${pms} ms; CPU to healthy: warm median ${wcpu} ms, without a cache ${pcpu#cpu_ms=} ms; load average $(cut -d' ' -f1-3 /proc/loadavg)"
