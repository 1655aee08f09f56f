#!/usr/bin/env bash
# Rooms benchmarks against objectsync-host on 127.0.0.1 (see README.md next to this script):
#   open       a host opens --rooms rooms of the dom scene, one connection after the other;
#              time per room and host memory per room, rooms in memory and rooms on disk.
#   isolation  one busy room written as fast as the host answers (and at a fixed --rate),
#              alone, while --bg-rooms other rooms of the same host each have one slow
#              writer, and while those rooms are in a second host (the machine as busy, the
#              busy room's host not).
# Every round starts fresh hosts; the variants take turns within a round. Prints the
# medians of the rounds as Markdown. Builds nothing: pass the build directory.
#
#   bench/rooms/run.sh BUILD_DIR [--rounds N] [--duration S] [--rooms N] [--bg-rooms N]
#                      [--bg-rate N] [--rate N] [--out FILE]
#
# Environment: PARTS (default "open isolation"), MODES (default "memory disk"), PORT
# (default 18865; the second host uses the next), BATCH (rooms per timed batch, default 50), BUSY_WRITERS and
# BUSY_SUBSCRIBERS (clients of the busy room, default 1 and 1).
set -uo pipefail

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
BUILD=$(cd "$1" && pwd) || usage
shift
ROUNDS=3 DURATION=4 ROOMS=1000 BG_ROOMS=100 BG_RATE=1000 RATE=10000 OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --rooms) ROOMS=$2; shift 2 ;;
    --bg-rooms) BG_ROOMS=$2; shift 2 ;;
    --bg-rate) BG_RATE=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) usage ;;
  esac
done
BIN=$BUILD/bin
LOAD=$BIN/objectsync-load
APP=$BIN/objectsync-host
for exe in "$LOAD" "$APP"; do
  [ -x "$exe" ] || { echo "missing $exe: build objectsync-host and objectsync-load" >&2; exit 1; }
done
ls "$BUILD"/plugins/*dom* > /dev/null 2>&1 || { echo "no dom plugin in $BUILD/plugins" >&2; exit 1; }
PARTS=${PARTS:-open isolation}
MODES=${MODES:-memory disk}
PORT=${PORT:-18865}
BATCH=${BATCH:-50}
LOGDIR=$(mktemp -d /tmp/objectsync-rooms.XXXXXX)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
PIDS=()
HOST_DIRS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  for dir in "${HOST_DIRS[@]}"; do rm -rf "$dir"; done
}
trap cleanup EXIT

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
value() { sed -n "s/^result\.$1=//p" "$2" | tail -1; }
median() { printf '%s\n' "$@" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
fmt() { awk -v a="$1" -v d="${2:-0}" 'BEGIN { if (a == "n/a" || a == "") print "n/a"; else printf "%.*f", d, a }'; }
pct() { awk -v a="$1" 'BEGIN { if (a == "n/a" || a == "") print "n/a"; else printf "%.0f%%", 100 * a }'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# start_host NAME MODE [PORT]: a fresh host (rooms open, built from the dom scene), its rooms
# in memory or on disk (a new folder); sets STARTED_PID
start_host() {
  local name=$1 mode=$2 port=${3:-$PORT} args=()
  if listening "$port"; then echo "port $port is in use: set PORT" >&2; exit 1; fi
  if [ "$mode" = disk ]; then
    local dir
    dir=$(mktemp -d /tmp/objectsync-rooms-ws.XXXXXX)
    HOST_DIRS+=("$dir")
    args=(--workspace "$dir/default.osw" --workspace-dir "$dir/rooms")
  else
    args=(--no-workspace)
  fi
  "$APP" --headless --port "$port" --plugin-dir "$BUILD/plugins" --no-default-plugins \
    --scene dom --rooms open --room-scene dom --room-idle-timeout 0 \
    --max-rooms $((ROOMS + BG_ROOMS + 10)) --max-messages-per-second 0 "${args[@]}" \
    > "$LOGDIR/$name.host.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  for _ in $(seq 1 150); do listening "$port" && return 0; sleep 0.1; done
  echo "the host did not start:" >&2
  tail -5 "$LOGDIR/$name.host.log" >&2
  exit 1
}

# stop_hosts PID...: stops them (their rooms are written) and removes their folders
stop_hosts() {
  local pid rc
  for pid in "$@"; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    [ "$rc" -ne 0 ] && [ "$rc" -ne 143 ] && echo "  (a host exited with $rc)" >&2
  done
  for dir in "${HOST_DIRS[@]}"; do rm -rf "$dir"; done
  HOST_DIRS=()
}

URL="ws://127.0.0.1:$PORT"
declare -A V # V[key] = space-separated samples, one per round

add() { V[$1]+=" $2"; }
# shellcheck disable=SC2086 # the samples are words
med() { median ${V[$1]:-}; }

# ---- opening rooms -----------------------------------------------------------------------
open_rooms() {
  local mode=$1 round=$2 out="$LOGDIR/open.$1.$2.txt"
  start_host "open.$mode.$round" "$mode"
  local host=$STARTED_PID
  if "$LOAD" rooms --url "$URL/rooms/r" --rooms "$ROOMS" --batch "$BATCH" --host-pid "$host" \
       --setup-timeout 120 > "$out" 2>&1; then
    for k in room_open_s room_open_ms room_open_p50_ms room_open_p99_ms room_join_ms \
             host_rss_before_mb host_rss_mb rss_per_room_kb; do
      add "$mode.$k" "$(value "$k" "$out")"
    done
    echo "  open $mode #$round: $(value room_open_ms "$out") ms/room, $(value rss_per_room_kb "$out") KB/room" >&2
  else
    echo "open $mode #$round failed: $(tail -2 "$out")" >&2
  fi
  local t0=$EPOCHREALTIME
  stop_hosts "$host"
  add "$mode.stop_s" "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')"
}

# ---- isolation -----------------------------------------------------------------------------
BUSY_WRITERS=${BUSY_WRITERS:-1}
BUSY_SUBSCRIBERS=${BUSY_SUBSCRIBERS:-1}
BUSY_ARGS=(--url "$URL/rooms/busy" --type TextObject --attr text --writers "$BUSY_WRITERS"
           --subscribers "$BUSY_SUBSCRIBERS" --duration "$DURATION")

# busy LABEL BG_PORT ARGS...: one run in room "busy" of the host HOST_PID, with the slow
# writers running through the host on BG_PORT meanwhile (none when empty); adds the results
# to V[LABEL.*]
busy() {
  local label=$1 bgport=$2 bg="" bgout="$LOGDIR/$1.$round.bg.txt" out="$LOGDIR/$1.$round.txt"
  shift 2
  if [ -n "$bgport" ]; then
    # Covers the busy run: its set-up, 1 s of warm-up, the window and 1 s to drain.
    /usr/bin/time -f 'cpu_s=%U %S %e' -o "$bgout.time" "$LOAD" throughput --url "ws://127.0.0.1:$bgport/rooms/bg-" \
      --rooms "$BG_ROOMS" --writers "$BG_ROOMS" --subscribers 0 --rate "$BG_RATE" --type TextObject \
      --attr text --warmup 1 --duration $((DURATION + 3)) --setup-timeout 120 > "$bgout" 2>&1 &
    bg=$!
    PIDS+=("$bg")
    for _ in $(seq 1 1200); do
      grep -qs '^prepared' "$bgout" && break
      kill -0 "$bg" 2>/dev/null || break
      sleep 0.1
    done
    grep -q '^prepared' "$bgout" || { echo "the slow writers did not start: $(tail -2 "$bgout")" >&2; exit 1; }
  fi
  local t0 t1 w0=$EPOCHREALTIME
  t0=$(ticks "$HOST_PID")
  if ! "$LOAD" throughput "${BUSY_ARGS[@]}" "$@" > "$out" 2>&1; then
    echo "run $label #$round failed: $(tail -2 "$out")" >&2
  fi
  t1=$(ticks "$HOST_PID")
  add "$label.host_cpu" "$(awk -v t="$((t1 - t0))" -v a="$w0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", t / 100 / (b - a) }')"
  for k in actions_per_s latency_p50_ms latency_p99_ms echo_p50_ms echo_p99_ms; do
    add "$label.$k" "$(value "$k" "$out")"
  done
  if [ -n "$bg" ]; then
    kill -0 "$bg" 2>/dev/null || echo "  $label #$round: the slow writers ended before the busy run" >&2
    wait "$bg"
    add "$label.bg_actions_per_s" "$(value actions_per_s "$bgout")"
    add "$label.bg_echo_p50_ms" "$(value echo_p50_ms "$bgout")"
    add "$label.bg_echo_p99_ms" "$(value echo_p99_ms "$bgout")"
    # CPU of the slow writers' tool over its life, in cores
    add "$label.bg_cpu" "$(sed -n 's/^cpu_s=//p' "$bgout.time" | awk '$3 > 0 { printf "%.3f", ($1 + $2) / $3 }')"
  fi
  echo "  $label #$round: $(value actions_per_s "$out") actions/s, p99 $(value latency_p99_ms "$out") ms" \
       "$( [ -n "$bg" ] && echo "(slow writers: $(value actions_per_s "$bgout")/s, round trip p99 $(value echo_p99_ms "$bgout") ms)")" >&2
}

# Variants of the busy run: alone; the slow writers in rooms of the same host; the slow
# writers in a second host, so that the machine does the same work but the busy room's host
# does not.
VARIANTS=(solo loaded elsewhere)
bg_port() {
  case "$1" in
    loaded) echo "$PORT" ;;
    elsewhere) echo "$((PORT + 1))" ;;
  esac
}

isolation_round() {
  local mode=$1 other
  start_host "iso.$mode.$round" "$mode"
  HOST_PID=$STARTED_PID
  start_host "iso-other.$mode.$round" "$mode" "$((PORT + 1))"
  other=$STARTED_PID
  # Each round starts with another variant: what a round's start does to the host (a first
  # room, a cold cache) falls on each in turn.
  local order=() i v
  for i in 0 1 2; do order+=("${VARIANTS[$(((round - 1 + i) % 3))]}"); done
  for v in "${order[@]}"; do busy "$mode.$v.max" "$(bg_port "$v")"; done
  for v in "${order[@]}"; do busy "$mode.$v.rate" "$(bg_port "$v")" --rate "$RATE"; done
  stop_hosts "$HOST_PID" "$other"
}

echo "logs in $LOGDIR" >&2
for round in $(seq 1 "$ROUNDS"); do
  if [[ " $PARTS " == *" open "* ]]; then
    for mode in $MODES; do open_rooms "$mode" "$round"; done
  fi
  if [[ " $PARTS " == *" isolation "* ]]; then
    for mode in $MODES; do isolation_round "$mode"; done
  fi
done

# ratios SOLO_KEY OTHER_KEY: other / solo of each round (runs of one round are seconds apart).
ratios() {
  local s l out=() i
  read -ra s <<< "${V[$1]:-}"
  read -ra l <<< "${V[$2]:-}"
  for i in "${!s[@]}"; do
    [ -n "${l[$i]:-}" ] && out+=("$(awk -v a="${l[$i]}" -v b="${s[$i]}" 'BEGIN { if (b > 0) printf "%.3f", a / b }')")
  done
  echo "${out[*]}"
}

# ---- the report ------------------------------------------------------------------------
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
report() {
  echo "## Rooms run $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $CPU, $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- load average before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $ROUNDS rounds, a fresh host for each part of a round; medians over the rounds"
  if [[ " $PARTS " == *" open "* ]]; then
    echo
    echo "Opening $ROOMS rooms of the dom scene, one connection after the other (batches of $BATCH):"
    echo
    echo "| | $(for m in $MODES; do printf '%s | ' "$m"; done)"
    echo "|---|$(for m in $MODES; do printf -- '---:|'; done)"
    row() { printf '| %s |' "$1"; for m in $MODES; do printf ' %s |' "$(fmt "$(med "$m.$2")" "$3")"; done; echo; }
    row "all $ROOMS rooms, s" room_open_s 2
    row "per room, ms (median of the batches)" room_open_ms 3
    row "one room p50, ms" room_open_p50_ms 3
    row "one room p99, ms" room_open_p99_ms 3
    row "joining an open room again, ms" room_join_ms 3
    row "host RSS before, MB" host_rss_before_mb 1
    row "host RSS with the rooms, MB" host_rss_mb 1
    row "RSS per room, KB" rss_per_room_kb 1
    row "stopping the host afterwards, s" stop_s 2
  fi
  if [[ " $PARTS " == *" isolation "* ]]; then
    for m in $MODES; do
      # cells KEY DIGITS: the medians of each variant; pairs KEY KEY2 DIGITS: "a / b"; bg*: the
      # same for the slow writers (loaded and elsewhere)
      cells() { for v in "${VARIANTS[@]}"; do printf ' %s |' "$(fmt "$(med "$m.$v.$1")" "$2")"; done; }
      pairs() { for v in "${VARIANTS[@]}"; do printf ' %s / %s |' "$(fmt "$(med "$m.$v.$1")" "$3")" "$(fmt "$(med "$m.$v.$2")" "$3")"; done; }
      bgpairs() { printf ' |'; for v in loaded elsewhere; do printf ' %s / %s |' "$(fmt "$(med "$m.$v.$1")" "$3")" "$(fmt "$(med "$m.$v.$2")" "$3")"; done; }
      bgcells() { printf ' |'; for v in loaded elsewhere; do printf ' %s |' "$(fmt "$(med "$m.$v.$1")" "$2")"; done; }
      # shellcheck disable=SC2046 # the ratios are words
      ratio_of() { pct "$(median $(ratios "$m.solo.$1" "$m.$2.$1"))"; }
      echo
      echo "Isolation, rooms $( [ "$m" = disk ] && echo "on disk" || echo "in memory"): room busy ($BUSY_WRITERS writer(s), $BUSY_SUBSCRIBERS subscriber(s), ${DURATION} s) alone (solo), while $BG_ROOMS rooms of the same host each have 1 writer ($BG_RATE changes/s in all: loaded), and while those rooms are in a second host (elsewhere):"
      echo
      echo "| | solo | loaded | elsewhere |"
      echo "|---|---:|---:|---:|"
      echo "| actions/s, window 32 |$(cells max.actions_per_s 0)"
      echo "| ratio to solo (median of the rounds' ratios) | | $(ratio_of max.actions_per_s loaded) | $(ratio_of max.actions_per_s elsewhere) |"
      echo "| latency p50 / p99, window 32, ms |$(pairs max.latency_p50_ms max.latency_p99_ms 2)"
      echo "| actions/s, $RATE offered |$(cells rate.actions_per_s 0)"
      echo "| latency p50 / p99 at $RATE/s, ms |$(pairs rate.latency_p50_ms rate.latency_p99_ms 2)"
      echo "| busy host's CPU (cores), window 32 / at $RATE/s |$(pairs max.host_cpu rate.host_cpu 2)"
      echo "| slow writers' changes/s, window 32 / $RATE/s runs |$(bgpairs max.bg_actions_per_s rate.bg_actions_per_s 0)"
      echo "| slow writers' round trip p50 / p99, window 32 runs, ms |$(bgpairs max.bg_echo_p50_ms max.bg_echo_p99_ms 2)"
      echo "| slow writers' round trip p50 / p99, $RATE/s runs, ms |$(bgpairs rate.bg_echo_p50_ms rate.bg_echo_p99_ms 2)"
      echo "| CPU of the slow writers' load tool (cores), window 32 runs |$(bgcells max.bg_cpu 2)"
      echo
      echo "Ratios by round, window 32: loaded $(ratios "$m.solo.max.actions_per_s" "$m.loaded.max.actions_per_s"); elsewhere $(ratios "$m.solo.max.actions_per_s" "$m.elsewhere.max.actions_per_s")."
    done
  fi
  echo
  echo "Raw outputs: $LOGDIR"
}
if [ -n "$OUT" ]; then report | tee "$OUT"; else report; fi
