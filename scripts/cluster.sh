#!/usr/bin/env bash
# Runs several Baton nodes on one PostgreSQL database behind nginx, on this machine:
#
#   bash scripts/cluster.sh [N]           start N nodes (default 3) and nginx, then wait; Ctrl-C stops
#   bash scripts/cluster.sh stop          stop what the last start recorded (by its PIDs only)
#
# Options (after N or alone):
#   --detach            return once every node and nginx answer (the default when not on a terminal)
#   --foreground        stay and stop everything on Ctrl-C (the default on a terminal)
#   --fresh             drop and recreate the database first (a clean demo site)
#   --database-url URL  the PostgreSQL database [postgres://postgres@127.0.0.1:5432/$BATON_CLUSTER_DB]
#   --server-bin PATH   a built server (else $BATON_SERVER_BIN, else `cargo leptos build --release`)
#
# Environment: BATON_CLUSTER_DB (database name, default baton_cluster), BATON_CLUSTER_PORT
# (nginx, default 8080), BATON_CLUSTER_NODE_PORT (node i listens on this + i, default 3100),
# BATON_CLUSTER_METRICS_PORT (node i serves /metrics on this + i, default 9500),
# BATON_CLUSTER_DIR (run directory, default target/cluster), BATON_SERVER_BIN, LEPTOS_SITE_ROOT.
# Any other BATON_* variable (BATON_OFFER_TIMEOUT, BATON_LOG_LEVEL, …) reaches every node.
#
# Node i: BATON_ADDR=127.0.0.1:<node port + i>, data in <run dir>/node<i>, log in
# <run dir>/node<i>.log, PID in <run dir>/node<i>.pid. Node 1 starts first with BATON_DEMO (the
# demo site is seeded once, and node 1 alone serves the demo host page); the others follow.
# Every node gets BATON_PUBLIC_URL=http://127.0.0.1:<nginx port>: links point at nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

say() { printf '\033[1;34m[cluster]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[cluster]\033[0m %s\n' "$*" >&2; exit 1; }

RUN_DIR=${BATON_CLUSTER_DIR:-target/cluster}
case $RUN_DIR in /*) ;; *) RUN_DIR="$ROOT/$RUN_DIR" ;; esac

# ---- stopping: only the processes this script recorded, each checked to still be ours ----

# When process PID started (clock ticks after boot): with the PID, it names one process, even
# once PIDs are reused.
started_at() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  set -- $stat
  echo "${20}"
}

# Records a started process: FILE holds its PID (for anyone), FILE.start when it started.
record() {
  echo "$2" >"$1"
  started_at "$2" >"$1.start" || true
}

# Whether the process recorded in FILE still runs.
ours() {
  local pid start
  pid=$(head -n1 "$1" 2>/dev/null) start=$(cat "$1.start" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -n "$start" ] && [ "$(started_at "$pid")" = "$start" ]
}

stop_cluster() {
  local file pid waiting=()
  shopt -s nullglob
  # nginx first: no new connection reaches a node that is going away.
  for file in "$RUN_DIR"/nginx.pid "$RUN_DIR"/node*.pid; do
    if ours "$file"; then
      pid=$(head -n1 "$file")
      kill -TERM "$pid" 2>/dev/null || true
      waiting+=("$pid:$(cat "$file.start")")
    fi
    rm -f "$file" "$file.start"
  done
  # Nodes close their websockets ("going away") and finish in-flight requests; allow 20 s.
  local entry
  for entry in "${waiting[@]}"; do
    pid=${entry%%:*}
    for _ in $(seq 1 200); do [ "$(started_at "$pid")" = "${entry#*:}" ] || break; sleep 0.1; done
    if [ "$(started_at "$pid")" = "${entry#*:}" ]; then
      say "process $pid did not stop within 20 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if [ ${#waiting[@]} -gt 0 ]; then say "stopped ${#waiting[@]} process(es)"; else say "nothing was running"; fi
}

if [ "${1:-}" = stop ]; then
  stop_cluster
  exit 0
fi

# ---- arguments ----

NODES=3
MODE=
FRESH=false
DATABASE_URL=
SERVER_BIN=${BATON_SERVER_BIN:-}
while [ $# -gt 0 ]; do
  case $1 in
    [0-9]*) NODES=$1 ;;
    --detach) MODE=detach ;;
    --foreground) MODE=foreground ;;
    --fresh) FRESH=true ;;
    --database-url) DATABASE_URL=${2:?--database-url needs a value}; shift ;;
    --server-bin) SERVER_BIN=${2:?--server-bin needs a value}; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
  shift
done
[ "$NODES" -ge 1 ] 2>/dev/null || die "the number of nodes must be 1 or more (got $NODES)"
if [ -z "$MODE" ]; then
  if [ -t 0 ] && [ -t 1 ]; then MODE=foreground; else MODE=detach; fi
fi
PORT=${BATON_CLUSTER_PORT:-8080}
NODE_PORT=${BATON_CLUSTER_NODE_PORT:-3100}
METRICS_PORT=${BATON_CLUSTER_METRICS_PORT:-9500}
PUBLIC_URL="http://127.0.0.1:$PORT"
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${BATON_CLUSTER_DB:-baton_cluster}}
case $DATABASE_URL in
  postgres://*|postgresql://*) ;;
  *) die "several nodes share one database, which must be PostgreSQL (got ${DATABASE_URL%%:*}://…); SQLite is for one node only" ;;
esac

# A previous start that is still running would hold the ports.
shopt -s nullglob
for file in "$RUN_DIR"/nginx.pid "$RUN_DIR"/node*.pid; do
  if ours "$file"; then
    die "a cluster is already running from $RUN_DIR: stop it first with: bash scripts/cluster.sh stop"
  fi
done
shopt -u nullglob
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$PORT" $(seq $((NODE_PORT + 1)) $((NODE_PORT + NODES))); do
  port_taken "$port" && die "port $port is taken by another program (see BATON_CLUSTER_PORT / BATON_CLUSTER_NODE_PORT)"
done

# ---- tools: nginx, PostgreSQL, the server binary ----

NGINX=$(command -v nginx || true)
[ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx
[ -n "$NGINX" ] || die "nginx is not installed: run bash scripts/setup.sh (it installs Debian's nginx)"

# The machine's PostgreSQL, started as scripts/test.sh does when it is not running.
PG_HOSTPORT=${DATABASE_URL#*://}; PG_HOSTPORT=${PG_HOSTPORT#*@}; PG_HOSTPORT=${PG_HOSTPORT%%/*}
PG_HOST=${PG_HOSTPORT%%:*}; PG_PORT=5432
[ "$PG_HOSTPORT" != "$PG_HOST" ] && PG_PORT=${PG_HOSTPORT##*:}
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then
  if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
  fi
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || die "PostgreSQL does not answer on $PG_HOST:$PG_PORT"
fi

# The database: created when missing, recreated with --fresh.
DB_NAME=${DATABASE_URL##*/}; DB_NAME=${DB_NAME%%\?*}
ADMIN_URL="${DATABASE_URL%/*}/postgres"
[[ $DB_NAME =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "unexpected database name '$DB_NAME'"
if $FRESH; then
  say "dropping the database $DB_NAME"
  PGOPTIONS=--client-min-messages=warning \
    psql -q -v ON_ERROR_STOP=1 -d "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null
fi
if [ "$(psql -tA -d "$ADMIN_URL" -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
  say "creating the database $DB_NAME"
  psql -q -v ON_ERROR_STOP=1 -d "$ADMIN_URL" -c "CREATE DATABASE $DB_NAME" >/dev/null
fi

if [ -z "$SERVER_BIN" ]; then
  bash scripts/setup.sh
  export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
  say "building the release (first time: several minutes)"
  bash scripts/build-embed.sh public
  cargo leptos build --release --split --precompress
  bash scripts/build-widget.sh --release
  SERVER_BIN=target/release/server
fi
case $SERVER_BIN in /*) ;; *) SERVER_BIN="$ROOT/$SERVER_BIN" ;; esac
[ -x "$SERVER_BIN" ] || die "no server binary at $SERVER_BIN"
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-target/site} LEPTOS_SITE_PKG_DIR=${LEPTOS_SITE_PKG_DIR:-pkg}
export LEPTOS_OUTPUT_NAME=${LEPTOS_OUTPUT_NAME:-baton}
[ -d "$LEPTOS_SITE_ROOT" ] || say "warning: no site at $LEPTOS_SITE_ROOT (pages lack their scripts and styles; /readyz and /ws work)"

# Cluster mode (the PostgreSQL bus between nodes) exists only in servers that know the flag;
# an older server runs each node on its own, which is enough to try the plumbing.
if [ -z "${BATON_CLUSTER:-}" ]; then
  if "$SERVER_BIN" --help 2>/dev/null | grep -q -- '--cluster'; then
    export BATON_CLUSTER=true
  else
    say "warning: this server has no cluster mode (--cluster): the nodes will not hear each other"
  fi
fi

# The nodes must open each other's sealed API keys (AI agents' model backends): one shared
# secret key. Give BATON_SECRET_KEY to keep it across runs; otherwise one is made for this run.
if [ -z "${BATON_SECRET_KEY:-}" ]; then
  BATON_SECRET_KEY=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
  export BATON_SECRET_KEY
fi

# ---- start ----

# Every socket is a file, twice over in nginx (client and node): the soft limit as high as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mkdir -p "$RUN_DIR/nginx-tmp"
rm -f "$RUN_DIR"/node*.log "$RUN_DIR"/nginx*.log "$RUN_DIR"/*.pid "$RUN_DIR"/*.pid.start

# Whatever ends this script before the cluster is ready (an error, Ctrl-C) stops what it started.
READY=false
trap '$READY || { say "start failed; stopping what was started"; stop_cluster; }' EXIT
trap 'exit 130' INT TERM

# Waits until URL answers 200 while PID lives; on failure shows the end of LOG.
wait_ready() {
  local url=$1 pid=$2 log=$3 what=$4
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      say "$what stopped while starting; the end of $log:"
      tail -n 20 "$log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  say "$what did not answer $url within 60 s; the end of $log:"
  tail -n 20 "$log" >&2 || true
  return 1
}

start_node() {
  local i=$1 demo=$2
  local port=$((NODE_PORT + i))
  mkdir -p "$RUN_DIR/node$i"
  # setsid: the nodes outlive a --detach start and do not see the terminal's Ctrl-C (the
  # traps stop them in order).
  BATON_DATABASE_URL=$DATABASE_URL BATON_ADDR=127.0.0.1:$port BATON_DATA_DIR=$RUN_DIR/node$i \
    BATON_METRICS_ADDR=127.0.0.1:$((METRICS_PORT + i)) BATON_PUBLIC_URL=$PUBLIC_URL BATON_TRUSTED_PROXIES=127.0.0.1 BATON_DEMO=$demo \
    setsid "$SERVER_BIN" serve </dev/null >"$RUN_DIR/node$i.log" 2>&1 &
  local pid=$!
  record "$RUN_DIR/node$i.pid" "$pid"
  wait_ready "http://127.0.0.1:$port/readyz" "$pid" "$RUN_DIR/node$i.log" "node $i" || return 1
  say "node $i ready on 127.0.0.1:$port (pid $pid)"
}

say "starting $NODES node(s) on $(echo "$DATABASE_URL" | sed 's#//[^@/]*@#//…@#')"
# Node 1 alone first: it seeds the demo site into the empty database and serves the demo host.
start_node 1 "${BATON_DEMO:-true}" || exit 1
starting=()
for i in $(seq 2 "$NODES"); do
  start_node "$i" false &
  starting+=($!)
done
for job in "${starting[@]}"; do
  wait "$job" || exit 1
done

UPSTREAMS=""
for i in $(seq 1 "$NODES"); do
  UPSTREAMS+="        server 127.0.0.1:$((NODE_PORT + i)) max_fails=1 fail_timeout=10s;"$'\n'
done
# As root, nginx's workers would become `nobody` and could not write the run directory.
USER_LINE=""
[ "$(id -u)" = 0 ] && USER_LINE="user root root;"
awk -v rundir="$RUN_DIR" -v port="$PORT" -v user="$USER_LINE" -v upstreams="${UPSTREAMS%$'\n'}" '
  /@UPSTREAM_SERVERS@/ { print upstreams; next }
  { gsub(/@RUNDIR@/, rundir); gsub(/@PORT@/, port); gsub(/@USER_LINE@/, user); print }
' deploy/nginx/baton-cluster.conf.template >"$RUN_DIR/nginx.conf"
"$NGINX" -t -q -p "$RUN_DIR" -e "$RUN_DIR/nginx-error.log" -c "$RUN_DIR/nginx.conf" \
  || die "nginx refuses $RUN_DIR/nginx.conf (see $RUN_DIR/nginx-error.log)"
setsid "$NGINX" -p "$RUN_DIR" -e "$RUN_DIR/nginx-error.log" -c "$RUN_DIR/nginx.conf" \
  -g 'daemon off;' </dev/null >"$RUN_DIR/nginx.out" 2>&1 &
NGINX_PID=$!
record "$RUN_DIR/nginx.pid" "$NGINX_PID"
wait_ready "$PUBLIC_URL/readyz" "$NGINX_PID" "$RUN_DIR/nginx-error.log" nginx || exit 1
READY=true

echo
say "Baton on $NODES node(s) behind nginx: $PUBLIC_URL/"
say "  nodes: $(for i in $(seq 1 "$NODES"); do printf 'http://127.0.0.1:%s ' $((NODE_PORT + i)); done)"
say "  logs and PIDs: $RUN_DIR (node<i>.log, nginx-error.log, nginx-access.log)"
if [ "${BATON_DEMO:-true}" = true ]; then
  say "  demo sign-ins: see $RUN_DIR/node1.log (demo host page served by node 1)"
fi
if [ "$MODE" = detach ]; then
  say "  stop with: bash scripts/cluster.sh stop"
  exit 0
fi
say "  Ctrl-C stops everything"
trap 'echo; stop_cluster; exit 0' INT TERM
all_alive() {
  ours "$RUN_DIR/nginx.pid" || return 1
  for i in $(seq 1 "$NODES"); do
    ours "$RUN_DIR/node$i.pid" || return 1
  done
}
while all_alive; do sleep 1; done
say "a process of the cluster stopped; stopping the rest"
stop_cluster
exit 1
