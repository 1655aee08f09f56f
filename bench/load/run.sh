#!/usr/bin/env bash
# Runs the load scenarios against an ObjectSync host and a bare broadcast server on
# 127.0.0.1 and prints the figures (medians of repeated runs) as a Markdown report.
# Builds nothing: pass the build directory that holds bin/objectsync-load.
#
#   bench/load/run.sh BUILD_DIR [--repeat N] [--duration S] [--out FILE] [--host bench|app]
#
# The host is build/bin/objectsync-host --headless when it exists and can take the load (a
# short probe run decides), otherwise bench-host (Engine + Server with a test object type and
# no per-client rate limit). Environment: TYPE / ATTR (object type and attribute the writers
# create and write), PORT (first of three ports to use, default 18765), OBJECTS (default 10000),
# SWARMS (client counts of the swarm runs, default "1000 10000").
set -uo pipefail

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
BUILD=$(cd "$1" && pwd) || usage
shift
REPEAT=3
DURATION=4
OUT=""
HOST_CHOICE=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) REPEAT=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --host) HOST_CHOICE=$2; shift 2 ;;
    *) usage ;;
  esac
done
BIN=$BUILD/bin
LOAD=$BIN/objectsync-load
for exe in objectsync-load bare-broadcast bench-host; do
  [ -x "$BIN/$exe" ] || { echo "missing $BIN/$exe: build the bench targets first" >&2; exit 1; }
done
PORT=${PORT:-18765}
HOST_PORT=$PORT
BARE_PORT=$((PORT + 1))
NODELAY_PORT=$((PORT + 2))
OBJECTS=${OBJECTS:-10000}
LOGDIR=$(mktemp -d /tmp/objectsync-load.XXXXXX)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
}
trap cleanup EXIT

# wait_port PORT: until something accepts connections on 127.0.0.1:PORT (15 s at most)
wait_port() {
  for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

# start NAME PORT COMMAND...: starts a server in the background; sets STARTED_PID
start() {
  local name=$1 port=$2
  shift 2
  "$@" > "$LOGDIR/$name.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  wait_port "$port" || { cat "$LOGDIR/$name.log" >&2; exit 1; }
}

stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

# value KEY FILE: the result.KEY=... line of a load tool output
value() { sed -n "s/^result\.$1=//p" "$2" | tail -1; }

# median of the arguments
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# measure LABEL KEY... -- ARGS...: runs the load tool REPEAT times; sets M_<KEY> to medians
measure() {
  local label=$1
  shift
  local keys=()
  while [ "$1" != "--" ]; do keys+=("$1"); shift; done
  shift
  declare -A samples=()
  for i in $(seq 1 "$REPEAT"); do
    local out="$LOGDIR/$label.$i.txt"
    if ! "$LOAD" "$@" > "$out" 2>&1; then
      echo "run $label #$i failed:" >&2
      tail -3 "$out" >&2
      continue
    fi
    for k in "${keys[@]}"; do samples[$k]+=" $(value "$k" "$out")"; done
  done
  for k in "${keys[@]}"; do
    # shellcheck disable=SC2086
    printf -v "M_$k" '%s' "$(median ${samples[$k]:-})"
  done
  echo "  $label: $(for k in "${keys[@]}"; do v="M_$k"; printf '%s=%s ' "$k" "${!v}"; done)" >&2
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }'; }
fmt() { awk -v a="$1" 'BEGIN { if (a == "n/a" || a == "") print "n/a"; else printf "%.0f", a }'; }
fmt2() { awk -v a="$1" 'BEGIN { if (a == "n/a" || a == "") print "n/a"; else printf "%.2f", a }'; }

# ---- the host --------------------------------------------------------------------------
APP=$BIN/objectsync-host
HOST_KIND=bench
if [ "$HOST_CHOICE" != bench ] && [ -x "$APP" ]; then
  start app "$HOST_PORT" "$APP" --headless --no-workspace --max-messages-per-second 0 --port "$HOST_PORT"
  APP_PID=$STARTED_PID
  if "$LOAD" throughput --url "ws://127.0.0.1:$HOST_PORT" --type "${TYPE:-TextObject}" \
       --attr "${ATTR:-text}" --duration 1 --warmup 0.2 --setup-timeout 10 > "$LOGDIR/probe.txt" 2>&1; then
    HOST_KIND=app
  else
    echo "objectsync-host cannot take the load ($(tail -1 "$LOGDIR/probe.txt")); using bench-host" >&2
    stop "$APP_PID"
  fi
elif [ "$HOST_CHOICE" = app ]; then
  echo "no $APP" >&2
  exit 1
fi
if [ "$HOST_KIND" = app ]; then
  TYPE=${TYPE:-TextObject}
  ATTR=${ATTR:-text}
  HOST_PID=$APP_PID
  HOST_CMD=("$APP" --headless --no-workspace --max-messages-per-second 0 --port "$HOST_PORT")
else
  TYPE=${TYPE:-LoadObject}
  ATTR=${ATTR:-value}
  HOST_CMD=("$BIN/bench-host" --quiet --port "$HOST_PORT")
  start host "$HOST_PORT" "${HOST_CMD[@]}"
  HOST_PID=$STARTED_PID
fi
start bare "$BARE_PORT" "$BIN/bare-broadcast" --port "$BARE_PORT"
start bare-nodelay "$NODELAY_PORT" "$BIN/bare-broadcast" --nodelay --port "$NODELAY_PORT"

HOST_URL="ws://127.0.0.1:$HOST_PORT"
HOST_ARGS=(--url "$HOST_URL" --type "$TYPE" --attr "$ATTR" --host-pid "$HOST_PID" --duration "$DURATION")
BARE_ARGS=(--url "ws://127.0.0.1:$BARE_PORT" --topic bench/value --duration "$DURATION")
NODELAY_ARGS=(--url "ws://127.0.0.1:$NODELAY_PORT" --topic bench/value --duration "$DURATION")

echo "host: ${HOST_CMD[*]} (type $TYPE, attribute $ATTR); $REPEAT runs of ${DURATION} s each" >&2

# ---- max rate --------------------------------------------------------------------------
declare -A R
for subs in 1 10 100; do
  measure "host-$subs" actions_per_s deliveries_per_s latency_p99_ms host_rss_mb -- throughput "${HOST_ARGS[@]}" --subscribers "$subs"
  R[host_a_$subs]=$M_actions_per_s R[host_d_$subs]=$M_deliveries_per_s R[host_rss_$subs]=$M_host_rss_mb
  measure "bare-$subs" actions_per_s deliveries_per_s -- throughput "${BARE_ARGS[@]}" --subscribers "$subs"
  R[bare_a_$subs]=$M_actions_per_s R[bare_d_$subs]=$M_deliveries_per_s
  measure "nodelay-$subs" actions_per_s deliveries_per_s -- throughput "${NODELAY_ARGS[@]}" --subscribers "$subs"
  R[nd_a_$subs]=$M_actions_per_s R[nd_d_$subs]=$M_deliveries_per_s
done

# ---- latency at half the maximum rate ---------------------------------------------------
for subs in 10 100; do
  rate=$(awk -v a="${R[host_a_$subs]}" 'BEGIN { printf "%d", a / 2 }')
  R[rate_$subs]=$rate
  measure "host-half-$subs" latency_p50_ms latency_p99_ms -- throughput "${HOST_ARGS[@]}" --subscribers "$subs" --rate "$rate"
  R[host_p50_$subs]=$M_latency_p50_ms R[host_p99_$subs]=$M_latency_p99_ms
  measure "bare-half-$subs" latency_p50_ms latency_p99_ms -- throughput "${BARE_ARGS[@]}" --subscribers "$subs" --rate "$rate"
  R[bare_p99_$subs]=$M_latency_p99_ms
  measure "nodelay-half-$subs" latency_p50_ms latency_p99_ms -- throughput "${NODELAY_ARGS[@]}" --subscribers "$subs" --rate "$rate"
  R[nd_p99_$subs]=$M_latency_p99_ms
done
stop "$HOST_PID"

# ---- loading a tree: a fresh host each time ---------------------------------------------
trees_ms=() trees_mb=() trees_rss=()
for i in $(seq 1 "$REPEAT"); do
  start "tree-host-$i" "$HOST_PORT" "${HOST_CMD[@]}"
  pid=$STARTED_PID
  out="$LOGDIR/tree.$i.txt"
  if "$LOAD" tree --url "$HOST_URL" --objects "$OBJECTS" --type "$TYPE" --host-pid "$pid" > "$out" 2>&1; then
    trees_ms+=("$(value tree_load_ms "$out")") trees_mb+=("$(value tree_mb "$out")")
    trees_rss+=("$(value host_rss_mb "$out")")
    echo "  tree #$i: $(grep '^tree:' "$out")" >&2
  else
    echo "tree run #$i failed: $(tail -1 "$out")" >&2
  fi
  stop "$pid"
done
TREE_MS=$(median "${trees_ms[@]}") TREE_MB=$(median "${trees_mb[@]}") TREE_RSS=$(median "${trees_rss[@]}")

# ---- swarms: N clients connect at once, then fan-out to all of them; a fresh host each time
declare -A S
for clients in ${SWARMS:-1000 10000}; do
  connect=() p50=() p99=() perclient=() served=()
  for i in $(seq 1 "$REPEAT"); do
    start "swarm-host-$clients-$i" "$HOST_PORT" "${HOST_CMD[@]}"
    pid=$STARTED_PID
    out="$LOGDIR/swarm.$clients.$i.txt"
    # About 20,000 deliveries per second: 20 updates/s to 1,000 clients, 2/s to 10,000.
    rate=$(( 20000 / clients > 0 ? 20000 / clients : 1 ))
    if "$LOAD" swarm --url "$HOST_URL" --type "$TYPE" --attr "$ATTR" --clients "$clients" \
         --updates 40 --rate "$rate" --setup-timeout 120 --host-pid "$pid" > "$out" 2>&1; then
      connect+=("$(value swarm_connect_ms "$out")") p50+=("$(value swarm_fanout_p50_ms "$out")")
      p99+=("$(value swarm_fanout_p99_ms "$out")") perclient+=("$(value rss_per_client_kb "$out")")
      echo "  swarm $clients #$i: $(grep -m1 'served' "$out")" >&2
    else
      echo "swarm $clients run #$i failed: $(tail -2 "$out")" >&2
    fi
    served+=("$(value swarm_served "$out")")
    stop "$pid"
  done
  S[connect_$clients]=$(median "${connect[@]}") S[p50_$clients]=$(median "${p50[@]}")
  S[p99_$clients]=$(median "${p99[@]}") S[kb_$clients]=$(median "${perclient[@]}")
  S[served_$clients]=$(median "${served[@]}")
done

# ---- the report ------------------------------------------------------------------------
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
report() {
  echo "## Load run $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $CPU, $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- load average before / after the runs: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shares its cores)"
  echo "- host: \`$(basename "${HOST_CMD[0]}")\` (type $TYPE, attribute $ATTR); medians of $REPEAT runs of ${DURATION} s (1 s warm-up), 1 writer, window 32"
  echo "- bare: \`bare-broadcast\` (naive QWebSocketServer); bare+nodelay: the same with Nagle off"
  echo
  echo "| scenario | host | bare | bare+nodelay | host / bare | host / bare+nodelay |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| actions/s, 1 subscriber | $(fmt "${R[host_a_1]}") | $(fmt "${R[bare_a_1]}") | $(fmt "${R[nd_a_1]}") | $(ratio "${R[host_a_1]}" "${R[bare_a_1]}") | $(ratio "${R[host_a_1]}" "${R[nd_a_1]}") |"
  for subs in 10 100; do
    echo "| deliveries/s, $subs subscribers | $(fmt "${R[host_d_$subs]}") | $(fmt "${R[bare_d_$subs]}") | $(fmt "${R[nd_d_$subs]}") | $(ratio "${R[host_d_$subs]}" "${R[bare_d_$subs]}") | $(ratio "${R[host_d_$subs]}" "${R[nd_d_$subs]}") |"
  done
  for subs in 10 100; do
    echo "| p99 latency ms, $subs subscribers at ${R[rate_$subs]} actions/s (half max) | $(fmt2 "${R[host_p99_$subs]}") (p50 $(fmt2 "${R[host_p50_$subs]}")) | $(fmt2 "${R[bare_p99_$subs]}") | $(fmt2 "${R[nd_p99_$subs]}") | | |"
  done
  echo "| load $OBJECTS objects: ms / MB | $(fmt "$TREE_MS") / $(fmt2 "$TREE_MB") | | | | |"
  echo "| host resident memory, MB (100 subscribers / $OBJECTS objects) | $(fmt "${R[host_rss_100]}") / $(fmt "$TREE_RSS") | | | | |"
  echo
  echo "| swarm (40 updates, 20,000 deliveries/s) | served | all served after, ms | fan-out p50 / p99, ms | host RSS per client, KB |"
  echo "|---|---:|---:|---:|---:|"
  for clients in ${SWARMS:-1000 10000}; do
    echo "| $clients clients | $(fmt "${S[served_$clients]}") | $(fmt "${S[connect_$clients]}") | $(fmt2 "${S[p50_$clients]}") / $(fmt2 "${S[p99_$clients]}") | $(fmt2 "${S[kb_$clients]}") |"
  done
  echo
  echo "Goals: deliveries/s with 100 subscribers >= 75% of bare: $(ratio "${R[host_d_100]}" "${R[bare_d_100]}");" \
       "p99 <= 5 ms at half max rate: $(fmt2 "${R[host_p99_10]}") ms (10), $(fmt2 "${R[host_p99_100]}") ms (100);" \
       "$OBJECTS objects <= 250 ms: $(fmt "$TREE_MS") ms."
  echo
  echo "Raw outputs: $LOGDIR"
}
if [ -n "$OUT" ]; then report | tee "$OUT"; else report; fi
