# Sourced by ./proxy-gate and by the launcher scripts/deploy.sh installs (copied beside the jar): the JVM settings
# ProxyGate's server ships with. `proxygate_jvm_options JAVA_HOME JAR` fills the array `jvm_options` (and exports
# MALLOC_ARENA_MAX for the JVM it starts); the caller puts PROXYGATE_JAVA_OPTS after them, so a user's own options win.
# Measured in testdata/bench/RESULTS.md (rounds 2 and 3).
#
# Memory (fits a 256 MiB VPS at idle and under load; 5,000 open streams stay under 512 MiB):
#  - Serial GC: the smallest footprint (no remembered sets or concurrent threads, which cost G1 tens of MiB of native
#    memory); under saturating load on 2 cores it served as many requests as G1 with 120-140 MiB less RSS.
#  - A fixed 16 MiB young generation: load makes garbage, not live data, so the heap only grows with what is kept
#    (open streams, the pool); G1's default sizing grew the heap under load and kept it (569 MiB RSS in round 1).
#    Start-up's garbage fills eden once, so all of it stays resident: 16 MiB instead of 32 is 9-14 MiB less RSS at
#    idle and under load, for twice as many young collections that are half as long (2-3 ms instead of 4-7); GC time
#    per request measured the same (10-13 us against 8-16 us, round 3), survivors stayed under half their space.
#  - Heap at most 512 MiB, or 60 % of the machine's memory when that is less; after a collection the old generation
#    keeps at most 30 % free, so a burst's memory goes back.
#  - Compact object headers (JDK 25+): 8 bytes less per object, ~10 % less heap.
#  - MALLOC_ARENA_MAX=2 (exported to the JVM unless already set): glibc gives each thread that mallocs under
#    contention an arena of its own, up to 8 per core, and memory freed in one arena is not reused by another; the JIT
#    compilers, GC and Jetty threads then each keep their own slack.
#  - -XX:TrimNativeHeapInterval=1000 (JDK 22+): every second the JVM asks glibc to give freed native memory back to
#    the system (malloc_trim). The JIT compilers' arenas are freed after a burst of compilation, but glibc kept those
#    pages: after start-up and after load they stayed in RSS. A trim takes 0.1-0.8 ms here; every second instead of
#    every 5 s, RSS 3 s after start is 165-168 MiB instead of 185.
# Start-up: an ahead-of-time cache beside the jar (JDK 25+, JEP 483/514/515: classes loaded and linked, method
# profiles), written when the first server run after a build stops and used by every later start; JDK 21-24 get a
# dynamic class-data archive instead. Either is rebuilt when the jar, the JDK or these options change. Set
# PROXYGATE_AOT=off to start without either.

# proxygate_java_major JAVA_HOME: the JDK's major version, from its release file (no JVM started)
proxygate_java_major() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" 2>/dev/null | head -1)
  case "$v" in
    1.*) v=${v#1.} ;;
  esac
  v=${v%%[.+-]*}
  case "$v" in
    ''|*[!0-9]*) "$1/bin/java" -XshowSettings:properties -version 2>&1 \
                   | sed -n 's/^ *java\.specification\.version = //p' | head -1 | cut -d. -f1 ;;
    *) printf '%s' "$v" ;;
  esac
}

proxygate_max_heap_mib() {
  local total_kib
  total_kib=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || true)
  if [ -n "$total_kib" ] && [ "$((total_kib * 6 / 10 / 1024))" -lt 512 ]; then
    echo "$((total_kib * 6 / 10 / 1024))"
  else
    echo 512
  fi
}

# proxygate_aot_usable JAVA_HOME JAR CACHE: whether the JVM starts with the cache and the options chosen so far (the
# user's included); checked once per cache with a JVM that only prints its version, then remembered beside it.
proxygate_aot_usable() {
  [ -f "$3.ok" ] && [ "$3.ok" -nt "$3" ] && return 0
  # shellcheck disable=SC2086 # PROXYGATE_JAVA_OPTS is a list of options, split as the launcher splits it
  if "$1/bin/java" "${jvm_options[@]}" ${PROXYGATE_JAVA_OPTS:-} "-XX:AOTCache=$3" -Xlog:aot=off -Xlog:cds=off \
       -cp "$2" -version >/dev/null 2>&1; then
    : >"$3.ok" 2>/dev/null || true
    return 0
  fi
  return 1
}

proxygate_jvm_options() {
  local java_home=$1 jar=$2 major base stamp cache
  major=$(proxygate_java_major "$java_home")
  jvm_options=("-Xmx$(proxygate_max_heap_mib)m" -Xms32m -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30)
  # The JVM refuses two collectors, so a user's choice in PROXYGATE_JAVA_OPTS replaces ours instead of following it.
  case " ${PROXYGATE_JAVA_OPTS:-} " in
    *" -XX:+Use"*GC" "*) ;;
    *) jvm_options=(-XX:+UseSerialGC "${jvm_options[@]}") ;;
  esac
  if [ "${major:-0}" -ge 25 ] 2>/dev/null; then
    jvm_options+=(-XX:+UseCompactObjectHeaders)
  fi
  if [ "${major:-0}" -ge 22 ] 2>/dev/null; then
    jvm_options+=(-XX:TrimNativeHeapInterval=1000)
  fi
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
  [ "${PROXYGATE_AOT:-on}" = off ] && return 0
  base=${jar%.jar}
  # The cache is only valid for this jar, this JDK and these options (the user's too): their fingerprint names it.
  stamp=$( { cat "$java_home/release" 2>/dev/null || echo "$java_home"; printf '%s\n' "${jvm_options[@]}"
             printf '%s\n' "${PROXYGATE_JAVA_OPTS:-}"; } \
           | cksum | cut -d' ' -f1)
  if [ "${major:-0}" -ge 25 ] 2>/dev/null; then
    cache="$base.$stamp.aot"
    if [ -f "$base.$stamp.unusable" ] && [ "$base.$stamp.unusable" -nt "$jar" ]; then
      : # these options cannot use a cache (below): start without one
    elif [ -f "$cache" ] && [ "$cache" -nt "$jar" ]; then
      if proxygate_aot_usable "$java_home" "$jar" "$cache"; then
        jvm_options+=("-XX:AOTCache=$cache")
      else
        # JDK 25 refuses to start at all with a cache whose archived objects do not fit the heap these options give
        # (e.g. -Xmn as large as -Xms in PROXYGATE_JAVA_OPTS): drop it, and do not train one again for these options.
        rm -f "$cache" "$cache.ok" 2>/dev/null || true
        : >"$base.$stamp.unusable" 2>/dev/null || true
      fi
    elif [ -w "$(dirname "$jar")" ]; then
      rm -f "$base".*.aot "$base".*.aot.ok "$base".*.unusable "$base".*.jsa 2>/dev/null || true
      # One-step training (JDK 25): this run records what it loads and profiles; the cache is assembled at exit.
      jvm_options+=("-XX:AOTCacheOutput=$cache")
    fi
    jvm_options+=(-Xlog:aot=off -Xlog:cds=off)
  elif [ "${major:-0}" -ge 19 ] 2>/dev/null; then
    cache="$base.$stamp.jsa"
    if [ ! -f "$cache" ] || [ "$jar" -nt "$cache" ]; then
      rm -f "$base".*.jsa 2>/dev/null || true
    fi
    jvm_options+=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$cache" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
}
