#!/usr/bin/env bash
# Installs ProxyGate as a per-user service and starts (or restarts) it: a launchd agent on macOS, a systemd user
# unit on Linux. See docs/deploy.md.
#
#   scripts/deploy.sh                 build if needed, install under ~/.proxy-gate, (re)start, wait for /healthz
#   scripts/deploy.sh --dry-run       print every file it would write (with contents) and every command, change nothing
#   scripts/deploy.sh --uninstall     stop and remove the service, launcher, jar and logs (keeps config, pool, data)
#   scripts/deploy.sh --uninstall --purge    ...and the whole install folder, config, pool and data included
#   options: --prefix DIR (install folder, default ~/.proxy-gate), --os macos|linux (default: this machine's)
set -euo pipefail

LABEL=com.proxygate.server
UNIT=proxy-gate
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"

dry_run=false uninstall=false purge=false prefix="" os=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=true ;;
    --uninstall) uninstall=true ;;
    --purge) purge=true ;;
    --prefix) [ $# -ge 2 ] || { echo "error: --prefix needs a folder" >&2; exit 2; }; prefix=$2; shift ;;
    --prefix=*) prefix=${1#--prefix=} ;;
    --os) [ $# -ge 2 ] || { echo "error: --os needs macos or linux" >&2; exit 2; }; os=$2; shift ;;
    --os=*) os=${1#--os=} ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$purge" = true ] && [ "$uninstall" = false ]; then
  echo "error: --purge goes with --uninstall" >&2; exit 2
fi
if [ -z "$os" ]; then
  case "$(uname -s)" in
    Darwin) os=macos ;;
    Linux) os=linux ;;
    *) echo "error: unsupported system $(uname -s); pass --os macos|linux" >&2; exit 2 ;;
  esac
fi
case "$os" in macos|linux) ;; *) echo "error: --os must be macos or linux, not $os" >&2; exit 2 ;; esac
: "${HOME:?HOME must be set}"
prefix=${prefix:-$HOME/.proxy-gate}
case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac
prefix=${prefix%/}

launcher="$prefix/bin/proxy-gate"
jar="$prefix/lib/proxy-gate.jar"
jvm_options="$prefix/lib/jvm-options.sh"
logs="$prefix/logs"
plist="$HOME/Library/LaunchAgents/$LABEL.plist"
unit="$HOME/.config/systemd/user/$UNIT.service"
uid=$(id -u)

# ---- effects: printed in a dry run, performed otherwise

say() { echo "$@"; }

run() { # a command, shown as it would be typed
  if [ "$dry_run" = true ]; then
    printf '+'; printf ' %q' "$@"; printf '\n'
  else
    "$@"
  fi
}

write_file() { # write_file PATH MODE CONTENT: atomically, creating folders
  local path=$1 mode=$2 content=$3
  if [ "$dry_run" = true ]; then
    printf '=== write %s (mode %s)\n%s\n=== end %s\n' "$path" "$mode" "$content" "$path"
    return
  fi
  mkdir -p "$(dirname "$path")"
  local tmp
  tmp=$(mktemp "$(dirname "$path")/.deploy.XXXXXX")
  printf '%s\n' "$content" >"$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$path"
}

copy_file() { # copy_file FROM TO MODE
  if [ "$dry_run" = true ]; then
    printf '=== copy %s -> %s (mode %s)\n' "$1" "$2" "$3"
    return
  fi
  mkdir -p "$(dirname "$2")"
  cp -f "$1" "$2.deploy-tmp"
  chmod "$3" "$2.deploy-tmp"
  mv -f "$2.deploy-tmp" "$2"
}

make_dir() {
  if [ "$dry_run" = true ]; then printf '=== mkdir %s\n' "$1"; else mkdir -p "$1"; fi
}

remove() { # remove PATH (file or folder), if present
  if [ "$dry_run" = true ]; then printf '=== remove %s\n' "$1"; return; fi
  rm -rf -- "$1"
}

# ---- text helpers

xml() { # escapes XML text (quoted replacements: bash 5.2 would read a bare & as "the match")
  local s=$1
  s=${s//&/"&amp;"}; s=${s//</"&lt;"}; s=${s//>/"&gt;"}
  printf '%s' "$s"
}

unit_quote() { # a double-quoted systemd word: backslash, quote and % (specifier) escaped
  local s=$1
  local bs='\' q='"'
  s=${s//"$bs"/"$bs$bs"}; s=${s//"$q"/"$bs$q"}; s=${s//%/"%%"}
  printf '"%s"' "$s"
}

unit_path() { # a bare systemd path value (taken whole, spaces included): only % needs escaping
  printf '%s' "${1//%/%%}"
}

# ---- what the service runs with

find_jdk() {
  # shellcheck source=scripts/find-java.sh
  . "$root/scripts/find-java.sh"
  find_java21 || exit 1
}

# [server] addr of the installed config.toml (or PROXYGATE_ADDR, which the service then also gets).
listen_addr() {
  local addr=""
  if [ -n "${PROXYGATE_ADDR:-}" ]; then
    addr=$PROXYGATE_ADDR
  elif [ -f "$prefix/config.toml" ]; then
    addr=$(awk '
      /^[[:space:]]*\[/ { in_server = ($0 ~ /^[[:space:]]*\[server\][[:space:]]*(#.*)?$/); next }
      in_server && /^[[:space:]]*addr[[:space:]]*=/ {
        sub(/^[^=]*=[[:space:]]*/, ""); sub(/[[:space:]]*(#.*)?$/, ""); gsub(/^["\047]|["\047]$/, ""); print; exit
      }' "$prefix/config.toml")
  fi
  addr=${addr:-127.0.0.1:19527}
  case "$addr" in
    :*) addr="127.0.0.1$addr" ;;
    0.0.0.0:*) addr="127.0.0.1:${addr#0.0.0.0:}" ;;
    "[::]:"*) addr="[::1]:${addr#\[::\]:}" ;;
  esac
  printf '%s' "$addr"
}

service_path() {
  printf '%s' "$JAVA_HOME/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
}

launcher_text() {
  cat <<EOF
#!/usr/bin/env bash
# ProxyGate, as installed by scripts/deploy.sh. Runs from $(printf '%q' "$prefix"), where config.toml, pool/ and
# data/ live unless config.toml says otherwise. A shell script: launchd and systemd run it as it is (no signing).
set -euo pipefail
cd $(printf '%q' "$prefix")
java_home="\${JAVA_HOME:-$(printf '%q' "$JAVA_HOME")}"
# JVM settings for the server (heap, GC, the ahead-of-time cache beside the jar); PROXYGATE_JAVA_OPTS win over them.
defaults=()
if [ "\${1:-serve}" = serve ] && [ -f $(printf '%q' "$jvm_options") ]; then
  . $(printf '%q' "$jvm_options")
  proxygate_jvm_options "\$java_home" $(printf '%q' "$jar")
  defaults=("\${jvm_options[@]}")
fi
exec "\$java_home/bin/java" \${defaults[@]+"\${defaults[@]}"} \${PROXYGATE_JAVA_OPTS:-} -jar $(printf '%q' "$jar") "\$@"
EOF
}

plist_text() {
  local extra=""
  if [ -n "${PROXYGATE_ADDR:-}" ]; then
    extra="
        <key>PROXYGATE_ADDR</key>
        <string>$(xml "$PROXYGATE_ADDR")</string>"
  fi
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>Label</key>
    <string>$LABEL</string>
    <key>ProgramArguments</key>
    <array>
        <string>$(xml "$launcher")</string>
        <string>serve</string>
    </array>
    <key>WorkingDirectory</key>
    <string>$(xml "$prefix")</string>
    <key>EnvironmentVariables</key>
    <dict>
        <key>JAVA_HOME</key>
        <string>$(xml "$JAVA_HOME")</string>
        <key>PATH</key>
        <string>$(xml "$(service_path)")</string>$extra
    </dict>
    <key>RunAtLoad</key>
    <true/>
    <key>KeepAlive</key>
    <true/>
    <key>ThrottleInterval</key>
    <integer>10</integer>
    <key>ProcessType</key>
    <string>Background</string>
    <key>StandardOutPath</key>
    <string>$(xml "$logs/proxy-gate.out.log")</string>
    <key>StandardErrorPath</key>
    <string>$(xml "$logs/proxy-gate.err.log")</string>
</dict>
</plist>
EOF
}

unit_text() {
  local env_line
  env_line="Environment=$(unit_quote "JAVA_HOME=$JAVA_HOME") $(unit_quote "PATH=$(service_path)")"
  if [ -n "${PROXYGATE_ADDR:-}" ]; then
    env_line="$env_line $(unit_quote "PROXYGATE_ADDR=$PROXYGATE_ADDR")"
  fi
  cat <<EOF
[Unit]
Description=ProxyGate account-pooling LLM gateway
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
WorkingDirectory=$(unit_path "$prefix")
ExecStart=$(unit_quote "$launcher") serve
$env_line
Restart=always
RestartSec=5
# SIGTERM lets in-flight streams drain ([server] shutdown_grace, 30s by default) before the JVM exits; the first
# stop after an install also writes the start-up cache beside the jar (a few seconds, longer on a busy machine).
TimeoutStopSec=90
KillSignal=SIGTERM

[Install]
WantedBy=default.target
EOF
}

# ---- build

jar_is_stale() {
  local built="$root/bootstrap/target/proxy-gate.jar"
  [ ! -f "$built" ] \
    || [ -n "$(find "$root" -path "$root/*/src/main/*" -newer "$built" -type f -print -quit 2>/dev/null)" ] \
    || [ -n "$(find "$root" -maxdepth 2 -name pom.xml -newer "$built" -print -quit)" ]
}

build() {
  if jar_is_stale; then
    command -v mvn >/dev/null || { echo "error: Maven (mvn) is needed to build ProxyGate" >&2; exit 1; }
    if [ "$dry_run" = true ]; then
      printf '+ (cd %q && mvn -B -q -DskipTests package)\n' "$root"
    else
      say "building ProxyGate..."
      (cd "$root" && mvn -B -q -DskipTests package)
    fi
  fi
}

# ---- health

wait_healthy() {
  local url="http://$(listen_addr)/healthz" i body
  if [ "$dry_run" = true ]; then
    say "# then poll $url until it answers {\"ok\":true} (30 tries), else print the log and exit 1"
    return 0
  fi
  for i in $(seq 1 30); do
    if body=$(curl -fsS --max-time 2 "$url" 2>/dev/null) && [[ "$body" == *'"ok":true'* ]]; then
      say "healthz ok ($url)"
      return 0
    fi
    sleep 1
  done
  echo "error: $url did not answer {\"ok\":true} within 30 s; the log says:" >&2
  if [ "$os" = macos ]; then
    tail -n 40 "$logs/proxy-gate.err.log" "$logs/proxy-gate.out.log" >&2 2>/dev/null || true
  else
    journalctl --user -u "$UNIT" -n 40 --no-pager >&2 2>/dev/null || true
  fi
  exit 1
}

# ---- install / uninstall

install_files() {
  make_dir "$prefix"
  make_dir "$logs"
  copy_file "$root/bootstrap/target/proxy-gate.jar" "$jar" 0644
  copy_file "$root/scripts/jvm-options.sh" "$jvm_options" 0644
  write_file "$launcher" 0755 "$(launcher_text)"
  if [ ! -e "$prefix/config.toml" ]; then
    copy_file "$root/config.toml.example" "$prefix/config.toml.example" 0644
  fi
}

install_macos() {
  write_file "$plist" 0644 "$(plist_text)"
  # A changed plist is only read at bootstrap: unload a running copy first, then load and (re)start.
  if [ "$dry_run" = true ]; then
    say "# if an older copy is loaded:"
    run launchctl bootout "gui/$uid/$LABEL"
  elif launchctl print "gui/$uid/$LABEL" >/dev/null 2>&1; then
    run launchctl bootout "gui/$uid/$LABEL" || true
  fi
  run launchctl bootstrap "gui/$uid" "$plist"
  run launchctl kickstart -k "gui/$uid/$LABEL"
}

install_linux() {
  local was_active=false
  if [ "$dry_run" = false ] && systemctl --user is-active --quiet "$UNIT" 2>/dev/null; then
    was_active=true
  fi
  write_file "$unit" 0644 "$(unit_text)"
  run systemctl --user daemon-reload
  run systemctl --user enable --now "$UNIT"
  if [ "$dry_run" = true ]; then
    say "# and, if it was already running (to pick up the new jar):"
    run systemctl --user restart "$UNIT"
  elif [ "$was_active" = true ]; then
    run systemctl --user restart "$UNIT"
  fi
}

uninstall() {
  if [ "$os" = macos ]; then
    if [ "$dry_run" = true ] || launchctl print "gui/$uid/$LABEL" >/dev/null 2>&1; then
      run launchctl bootout "gui/$uid/$LABEL" || true
    fi
    remove "$plist"
  else
    if [ "$dry_run" = true ] || [ -f "$unit" ]; then
      run systemctl --user disable --now "$UNIT" || true
    fi
    remove "$unit"
    run systemctl --user daemon-reload || true
  fi
  if [ "$purge" = true ]; then
    remove "$prefix"
  else
    # Only what deploy installed: config.toml, pool/ and data/ stay.
    remove "$launcher"
    remove "$jar"
    remove "$jvm_options"
    # The start-up caches the launcher wrote beside the jar (see scripts/jvm-options.sh).
    if [ "$dry_run" = true ]; then
      printf '=== remove %s\n' "$prefix/lib/proxy-gate.*.aot" "$prefix/lib/proxy-gate.*.aot.ok" \
        "$prefix/lib/proxy-gate.*.unusable" "$prefix/lib/proxy-gate.*.jsa"
    else
      rm -f "$prefix"/lib/proxy-gate.*.aot "$prefix"/lib/proxy-gate.*.aot.ok "$prefix"/lib/proxy-gate.*.unusable \
        "$prefix"/lib/proxy-gate.*.jsa
    fi
    remove "$logs"
    remove "$prefix/config.toml.example"
    if [ "$dry_run" = false ]; then
      rmdir "$prefix/bin" "$prefix/lib" 2>/dev/null || true
    fi
    say "kept $prefix (config.toml, pool/, data/); --purge removes it"
  fi
}

if [ "$dry_run" = true ]; then
  say "# dry run for $os: nothing is written, started or removed"
fi
if [ "$uninstall" = true ]; then
  uninstall
  exit 0
fi
find_jdk
build
install_files
if [ "$os" = macos ]; then install_macos; else install_linux; fi
wait_healthy
