#!/usr/bin/env bash
# Does the request log's writer keep up with RATE rows a second for SECONDS (issue 28: 2,000/s for 10 minutes)?
# Rows go through the real writer (SqlRequestLog: its batches, its usage-summary upserts) into a fresh database; the
# program prints pending rows every 10 s and, at the end, the largest backlog, drops, and whether usage_summary
# counts exactly the rows written.
#   testdata/bench/writer-rate.sh [RATE] [SECONDS]                   SQLite, default 2000 rows/s for 600 s
#   USAGE_DB=postgres testdata/bench/writer-rate.sh [RATE] [SECONDS] a throwaway PostgreSQL (scripts/test-postgres.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rate=${1:-2000} seconds=${2:-600}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
jar="$root/benchmarks/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -o -DskipTests -pl benchmarks -am package) >&2
fi
out="$here/out/writer-rate"
rm -rf "$out"; mkdir -p "$out"
if [ "${USAGE_DB:-sqlite}" = postgres ]; then
  eval "$("$root/scripts/test-postgres.sh" start)"
  trap '"$root/scripts/test-postgres.sh" stop "$PROXYGATE_TEST_POSTGRES_DIR"' EXIT
  url=$PROXYGATE_TEST_POSTGRES_URL
else
  url="jdbc:sqlite:$out/proxygate.db"
fi
echo "writer: $rate rows/s for $seconds s into ${USAGE_DB:-sqlite}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -Xmx256m -cp "$jar" io.proxygate.benchmarks.RequestLogWriteRate "$url" "$rate" "$seconds"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (shared machine)"
