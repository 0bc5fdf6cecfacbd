# Shared helpers of the gate scripts (sourced). Each gate starts the fake upstream and the real ProxyGate jar with
# mock upstreams configured through the environment only (the deployment a migrating user has), and tears both down
# on exit.
set -euo pipefail
GATES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$GATES_DIR/../.." && pwd)"
. "$REPO_ROOT/scripts/find-java.sh"
find_java21
JAR="${PROXYGATE_JAR:-$REPO_ROOT/bootstrap/target/proxy-gate.jar}"
if [ ! -f "$JAR" ]; then
  (cd "$REPO_ROOT" && mvn -B -q -DskipTests package)
fi
DATADIR=$(mktemp -d)
POOLDIR=$(mktemp -d)
LOGDIR=$(mktemp -d)
cleanup() {
  kill "${UPSTREAM_PID:-0}" 2>/dev/null || true
  kill "${PROXY_PID:-0}" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "${GATE_FAILED:-1}" != 0 ]; then
    echo "--- proxy log (tail) ---"; tail -40 "$LOGDIR/proxy.log" 2>/dev/null || true
    echo "--- upstream log (tail) ---"; tail -20 "$LOGDIR/upstream.log" 2>/dev/null || true
  fi
  [ -n "${GATE_KEEP:-}" ] && echo "kept $DATADIR $LOGDIR" || rm -rf "$DATADIR" "$POOLDIR" "$LOGDIR"
}
trap cleanup EXIT

# free_ports N: N distinct random loopback ports nobody listens on (gates may run while other checkouts run
# theirs), drawn below the kernel's ephemeral range so outgoing connections cannot take one before it is bound.
free_ports() {
  local port low picked=" " count=0
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  while [ "$count" -lt "$1" ]; do
    port=$((20000 + RANDOM % (low - 20000)))
    case "$picked" in *" $port "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      picked="$picked$port "
      count=$((count + 1))
    fi
  done
  echo $picked
}

# wait_for URL: polls until the URL answers, at most 60 s.
wait_for() {
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "$1" 2>/dev/null || curl -sS -o /dev/null -X POST -d '{}' "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "FAIL: $1 did not come up"; exit 1; }
    sleep 0.2
  done
}

start_upstream() { # phase port
  "$JAVA_HOME/bin/java" "$GATES_DIR/GateUpstream.java" "$1" "$2" >"$LOGDIR/upstream.log" 2>&1 &
  UPSTREAM_PID=$!
  local deadline=$((SECONDS + 60))
  until (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "FAIL: fake upstream did not start"; exit 1; }
    sleep 0.2
  done
}

start_proxy() { # extra env assignments as arguments; PORT_PROXY and TOKEN must be set
  env PROXYGATE_ADDR="127.0.0.1:$PORT_PROXY" PROXYGATE_ADMIN_ADDR="127.0.0.1:0" PROXYGATE_ADMIN_TOKEN="$TOKEN" \
    PROXYGATE_DATA_DIR="$DATADIR" PROXYGATE_POOL_DIR="$POOLDIR" PROXYGATE_PRICING_SOURCE="${PRICING_SOURCE:-builtin}" \
    "$@" "$JAVA_HOME/bin/java" -jar "$JAR" serve >"$LOGDIR/proxy.log" 2>&1 &
  PROXY_PID=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS "http://127.0.0.1:$PORT_PROXY/healthz" >/dev/null 2>&1; do
    kill -0 "$PROXY_PID" 2>/dev/null || { echo "FAIL: proxy exited"; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "FAIL: proxy did not become healthy"; exit 1; }
    sleep 0.2
  done
}

# run_opencode DIR MODEL PROMPT...: OpenCode's headless run in DIR (where its opencode.json is), with a private home
# and XDG folders under $WORK and no network fetches of its own; prints what it printed, fails as it fails.
run_opencode() {
  local dir=$1 model=$2
  shift 2
  (cd "$dir" && env -i PATH=/usr/local/bin:/usr/bin:/bin TERM=dumb HOME="$WORK/ochome" \
    XDG_CONFIG_HOME="$WORK/xdg/config" XDG_DATA_HOME="$WORK/xdg/data" XDG_CACHE_HOME="$WORK/xdg/cache" \
    XDG_STATE_HOME="$WORK/xdg/state" OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_AUTOUPDATE=1 \
    timeout 180 "$REPO_ROOT/testdata/clients/node_modules/opencode-linux-x64/bin/opencode" run --title t \
    --format json -m "$model" "$@" </dev/null 2>&1)
}

# expect_translated DIRECTION: the request log's newest rows include one translated that way ("messages → responses").
expect_translated() {
  local rows
  rows=$(curl -fsS -H "X-Admin-Token: $TOKEN" "http://127.0.0.1:$PORT_PROXY/admin/requests?limit=20")
  echo "$rows" | grep -q "translated $1" || fail "no row translated $1 in the request log: $rows"
}

fail() { echo "FAIL: $*"; exit 1; }
pass() { GATE_FAILED=0; echo; echo "$1"; }
