# Sourced by ./proxy-gate, scripts/deploy.sh, the gates and the benchmark: finds a JDK 21+ and exports JAVA_HOME and
# PATH for it. Order: $JAVA_HOME, then `java` on PATH, then installed JDKs (by folder name, newest first):
# /usr/lib/jvm, macOS, SDKMAN, IntelliJ's ~/.jdks, /opt/java (roughly where Maven's toolchains plugin looks, so the
# gates that `mvn verify` runs find a JDK where the build found one).
java_major() { # prints the major version of the java binary $1 (from the JDK's release file when it has one)
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\)[".+].*/\1/p' "$(dirname "$(dirname "$1")")/release" 2>/dev/null | head -1)
  if [ -n "$v" ] && [ "$v" != 1 ]; then
    printf '%s\n' "$v"
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1 | cut -d. -f1
}
find_java21() {
  local candidates=() c home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  c=$(command -v java 2>/dev/null) && candidates+=("$(readlink -f "$c")")
  for home in $(ls -d /usr/lib/jvm/*/ /Library/Java/JavaVirtualMachines/*/Contents/Home/ \
                  "${HOME:-/nonexistent}"/.sdkman/candidates/java/*/ "${HOME:-/nonexistent}"/.jdks/*/ /opt/java/*/ \
                  2>/dev/null | sort -rV); do
    candidates+=("${home%/}/bin/java")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    major=$(java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      JAVA_HOME=$(dirname "$(dirname "$c")")
      export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "error: ProxyGate needs a JDK 21 or newer; none found in JAVA_HOME, PATH or /usr/lib/jvm. Install one (e.g. Temurin 21+) and set JAVA_HOME." >&2
  return 1
}
