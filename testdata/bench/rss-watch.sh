#!/usr/bin/env bash
# Samples the RSS of every ProxyGate server JVM running from this checkout's jar, every 0.5 s, until stopped (or
# until the command given has finished); prints one line per server process: its peak VmRSS and its VmHWM.
#   testdata/bench/rss-watch.sh testdata/bench/run.sh --quick      RSS through a whole bench run
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$(cd "$here/../.." && pwd)/bootstrap/target/proxy-gate.jar"
log=$(mktemp)
sample() {
  while :; do
    for pid in $(pgrep -f -- "-jar $jar serve"); do
      awk -v pid="$pid" -v t="$(date +%s)" '/^VmRSS:/ {r=$2} /^VmHWM:/ {h=$2} END {if (r) print pid, t, r, h}' \
        "/proc/$pid/status" 2>/dev/null
    done >>"$log"
    sleep 0.5
  done
}
sample &
sampler=$!
"$@"
rc=$?
kill "$sampler"
echo "== RSS of each ProxyGate server during the run (MiB): pid, samples, first..last sample time, peak VmRSS, VmHWM"
awk '{ n[$1]++; if (!($1 in first)) first[$1]=$2; last[$1]=$2; if ($3>max[$1]) max[$1]=$3; if ($4>hwm[$1]) hwm[$1]=$4 }
     END { for (p in n) printf "%s %d %s..%s %.0f %.0f\n", p, n[p], strftime("%H:%M:%S", first[p]), strftime("%H:%M:%S", last[p]), max[p]/1024, hwm[p]/1024 }' "$log" | sort -k3
rm -f "$log"
exit $rc
