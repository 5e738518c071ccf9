#!/usr/bin/env bash
# eBPF receiver overhead (issue 5 §2 and §5): nginx and a Kestrel app under load on loopback, without and with the
# collector's ebpf receiver tracing them, at saturation (wrk) and at a fixed rate (httprate, our open-loop client).
#
# usage: benchmarks/ebpf-overhead.sh [nginx|kestrel|all]      (default all; run as root: the receiver loads BPF)
# env:   OUT=/tmp/pipeline-ebpf-bench  logs, binaries and results.md
#        DURATION=10      seconds per measured run          WARMUP=5   seconds of wrk before each phase
#        CONNS=16         keep-alive connections (wrk and httprate)
#        RATE=10000       requests/s of the fixed-rate rows
#        RATE_RUNS=3      fixed-rate runs per phase (DURATION s each); the row's p99 figures are their medians
#        SERVER_CORE=0    core of the server under test     LOAD_CORE=1  core of wrk / httprate
#        COLLECTOR_CORE=1 core of the collector (1: beside the load generator, so the server's core carries only the
#                         in-kernel cost; 0: on the server's core, the worst case; "any": not pinned)
#        BUILD=aot|jit    collector build (default aot, falls back to jit)      SKIP_BUILD=1  reuse $OUT's binaries
#        NICE=-20         nice value of the server, the load generator and the collector (the machine is shared: at
#                         the default priority a loaded host's other work takes most of the pinned cores); 0 to keep
#        COLLECTOR_NICE=$NICE  nice value of the collector alone
#        COLLECTOR_WRAP=""   command words put before the collector's (e.g. "chrt --batch 0", "benchmarks/sched-slice.py 100000")
#        CONFIG=benchmarks/configs/ebpf-batch-nop.yaml  the collector's config (e.g. a copy with ebpf.attach_mode)
#        BPF_STATS=1      (default) enable kernel.bpf_stats_enabled during traced runs and report each of our BPF
#                         programs' run_cnt / run_time_ns (bpftool); the previous value is restored at exit
# Method per server: phase A untraced, phase B traced (collector started, the server discovered by its port), phase
# C untraced again; the untraced figure of each row is the mean of A and C (both are kept in the log), so drift of a
# shared machine shows up as A ≠ C instead of as overhead. Each phase: WARMUP s of wrk, DURATION s of wrk flat out
# (saturation), DURATION s of httprate at RATE. Counters come from the collector's /metrics before and after each
# traced run (after a 3 s pause so batch_timeout and the batch processor have flushed); collector CPU is its
# utime+stime (/proc/PID/stat) over the same interval.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/pipeline-ebpf-bench}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONNS=${CONNS:-16}
RATE=${RATE:-10000}
RATE_RUNS=${RATE_RUNS:-3}
SERVER_CORE=${SERVER_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}
COLLECTOR_CORE=${COLLECTOR_CORE:-1}
BUILD=${BUILD:-aot}
BPF_STATS=${BPF_STATS:-1}
NICE=${NICE:--20}
COLLECTOR_NICE=${COLLECTOR_NICE:-$NICE}
COLLECTOR_WRAP=${COLLECTOR_WRAP:-}
NGINX_PORT=18080 KESTREL_PORT=18081 METRICS_PORT=18888
which=${1:-all}
mkdir -p "$OUT"

need() { command -v "$1" >/dev/null || { echo "$1 missing: apt-get install -y $2" >&2; exit 2; }; }
need wrk wrk; need nginx nginx-light; need curl curl; need taskset util-linux
[ "$(id -u)" = 0 ] || { echo "run as root (the ebpf receiver loads BPF programs)" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "needs 2 cores (server on one, load on the other)" >&2; exit 2; }

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
clk=$(getconf CLK_TCK)
wait_port() { # PORT [seconds [PID]]
  local deadline=$((SECONDS + ${2:-60}))
  until (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1; [ -z "${3:-}" ] || kill -0 "$3" 2>/dev/null || return 1; sleep 0.1
  done
}
port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
SERVER_PID="" COLLECTOR_PID="" STATS_BEFORE=""
cleanup() {
  for p in $COLLECTOR_PID $SERVER_PID; do kill "$p" 2>/dev/null || true; done
  [ -z "$STATS_BEFORE" ] || sysctl -qw kernel.bpf_stats_enabled="$STATS_BEFORE" || true
}
trap cleanup EXIT

# ---------------------------------------------------------------- builds
col=$OUT/collector app=$OUT/kestrel-app rate=$OUT/httprate
if [ -z "${SKIP_BUILD:-}" ]; then
  log "building httprate and the Kestrel app (Release)"
  dotnet publish "$repo/benchmarks/Pipeline.Bench.HttpRate" -c Release -o "$rate" >"$OUT/build-httprate.log" 2>&1
  dotnet publish "$repo/benchmarks/Pipeline.Bench.KestrelApp" -c Release -o "$app" >"$OUT/build-kestrel-app.log" 2>&1
  rm -rf "$col"
  if [ "$BUILD" = aot ]; then
    log "publishing the collector with Native AOT"
    dotnet publish "$repo/host" -c Release -r linux-x64 -p:PublishAot=true -o "$col" >"$OUT/build-collector.log" 2>&1 \
      || { log "AOT publish failed (see $OUT/build-collector.log); using the JIT build"; BUILD=jit; rm -rf "$col"; }
  fi
  if [ "$BUILD" = jit ]; then
    log "publishing the collector with the JIT"
    dotnet publish "$repo/host" -c Release -p:PublishAot=false -o "$col" >"$OUT/build-collector.log" 2>&1
  fi
  echo "$BUILD" >"$col/.build"
fi
[ -x "$col/pipeline" ] || { echo "no collector binary in $col" >&2; exit 1; }
build=$(cat "$col/.build" 2>/dev/null || echo "?")

# ---------------------------------------------------------------- servers
start_nginx() {
  local prefix=$OUT/nginx; rm -rf "$prefix"; mkdir -p "$prefix"
  sed -e "s#PREFIX#$prefix#g" -e "s#PORT#$NGINX_PORT#g" "$repo/benchmarks/configs/nginx-ok.conf" >"$prefix/nginx.conf"
  nice -n "$NICE" taskset -c "$SERVER_CORE" nginx -c "$prefix/nginx.conf" -p "$prefix" >"$OUT/nginx.log" 2>&1 & SERVER_PID=$!
  wait_port $NGINX_PORT 30 $SERVER_PID
}
start_kestrel() {
  DOTNET_gcServer=0 nice -n "$NICE" taskset -c "$SERVER_CORE" dotnet "$app/kestrel-app.dll" $KESTREL_PORT >"$OUT/kestrel.log" 2>&1 &
  SERVER_PID=$!
  wait_port $KESTREL_PORT 60 $SERVER_PID
}
# CPU ticks of the server: nginx's master and worker (the master is idle), or the dotnet process
server_ticks() { local t; t=$(ticks "$SERVER_PID"); for c in $(pgrep -P "$SERVER_PID" || true); do t=$((t + $(ticks "$c"))); done; echo "$t"; }

# ---------------------------------------------------------------- collector
scrape() { curl -s --max-time 5 "http://127.0.0.1:$METRICS_PORT/metrics" || true; }
metric() { # TEXT NAME [label filter]: sum of the samples of NAME (matching the filter)
  awk -v n="$2" -v f="${3:-}" '$1 ~ "^"n"({|$)" && index($1, f) {s += $NF} END {printf "%.0f", s}' <<<"$1"
}
start_collector() { # PORTS
  port_free $METRICS_PORT || { echo "port $METRICS_PORT is in use" >&2; exit 1; }
  local pin=(nice -n "$COLLECTOR_NICE"); [ "$COLLECTOR_CORE" = any ] || pin+=(taskset -c "$COLLECTOR_CORE")
  # shellcheck disable=SC2206 # a command prefix, word-split on purpose
  [ -z "$COLLECTOR_WRAP" ] || pin+=($COLLECTOR_WRAP)
  EBPF_PORTS=$1 METRICS_PORT=$METRICS_PORT "${pin[@]}" "$col/pipeline" --config "${CONFIG:-$repo/benchmarks/configs/ebpf-batch-nop.yaml}" \
    >"$OUT/collector-$NAME.log" 2>&1 & COLLECTOR_PID=$!
  wait_port $METRICS_PORT 60 $COLLECTOR_PID || { cat "$OUT/collector-$NAME.log" >&2; exit 1; }
  local deadline=$((SECONDS + 120))
  until [ "$(metric "$(scrape)" otelcol_receiver_ebpf_traced_processes)" -ge 1 ]; do
    [ $SECONDS -lt $deadline ] || { echo "the collector did not discover the server" >&2; exit 1; }; sleep 0.2
  done
}
stop_collector() { stop "$COLLECTOR_PID"; COLLECTOR_PID=""; }

# per-program BPF cost of our collector's programs (ids from its fds' fdinfo: this bpftool has no pid column, and
# other sessions may load programs with the same names): "name run_cnt run_time_ns" lines
bpf_prog_stats() {
  # an fd closing while grep reads fdinfo makes grep exit 2: not a failure here (set -e / pipefail)
  local ids; ids=$( { grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null || true; } | awk '{print $2}' | sort -u | tr '\n' ' ')
  bpftool prog show -j 2>/dev/null | python3 -c '
import json, sys
ids = {int(x) for x in sys.argv[1].split()}
for p in json.load(sys.stdin):
    if p.get("id") in ids:
        print(p.get("name", "?"), p.get("run_cnt", 0), p.get("run_time_ns", 0))' "$ids"
}
bpf_cost() { # BEFORE AFTER REQUESTS: total ns per request and the top programs
  python3 - "$1" "$2" "$3" <<'EOF'
import sys
def load(path):
    d = {}
    for line in open(path):
        n, c, t = line.split(); a = d.setdefault(n, [0, 0]); a[0] += int(c); a[1] += int(t)
    return d
b, a, req = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3]) or 1
rows = []
for n, (c, t) in a.items():
    c0, t0 = b.get(n, [0, 0]); dc, dt = c - c0, t - t0
    if dc > 0: rows.append((dt, dc, n))
rows.sort(reverse=True)
total = sum(r[0] for r in rows)
print(f"{total / req:.0f} ns/req;" + ", ".join(f" {n} {dc / req:.1f}x {dt / dc:.0f} ns" for dt, dc, n in rows[:4]))
EOF
}

# ---------------------------------------------------------------- load
us_of() { # wrk latency like 1.23ms / 456.00us / 1.01s → µs
  python3 -c "import re,sys; m=re.match(r'([0-9.]+)(us|ms|s)$', sys.argv[1]); print(f'{float(m[1])*{\"us\":1,\"ms\":1e3,\"s\":1e6}[m[2]]:.0f}' if m else '?')" "$1"
}
# run_wrk FILE: sets REQ (completed), RPS, P99 (µs), SCPU (server CPU µs per request)
run_wrk() {
  local t0 t1; t0=$(server_ticks)
  nice -n "$NICE" taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "$URL" >"$1" 2>&1 || true
  t1=$(server_ticks)
  REQ=$(awk '/requests in/ {print $1}' "$1"); RPS=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$1")
  P99=$(us_of "$(awk '$1 == "99%" {print $2}' "$1")")
  SCPU=$(python3 -c "print(f'{($t1-$t0)*1e6/$clk/max(1,${REQ:-0}):.1f}')")
}
# run_rate FILE: sets REQ, RPS (achieved), P99 (service µs), P99S (scheduled µs), P999, SCPU
run_rate() {
  local t0 t1; t0=$(server_ticks)
  nice -n "$NICE" taskset -c "$LOAD_CORE" "$rate/httprate" "$URL" "$RATE" "$DURATION" "$CONNS" >"$1" 2>&1 || true
  t1=$(server_ticks)
  REQ=$(awk '/^target/ {print $10 + $12}' "$1"); RPS=$(awk '/^achieved/ {print $2}' "$1")
  P99=$(awk '/^service/ {printf "%.0f", $7}' "$1"); P999=$(awk '/^service/ {printf "%.0f", $9}' "$1")
  P99S=$(awk '/^scheduled/ {printf "%.0f", $7}' "$1")
  SCPU=$(python3 -c "print(f'{($t1-$t0)*1e6/$clk/max(1,${REQ:-0}):.1f}')")
}
# run_rates FILE: RATE_RUNS runs of run_rate; REQ summed, RPS and SCPU averaged, P99 / P99S / P999 the median of the
# runs (one slow run, a GC or a hiccup of the shared machine, then moves no p99 by itself); P99_RUNS lists each p99
run_rates() {
  local i req=0 rps=() p99=() p99s=() p999=() scpu=()
  for i in $(seq "$RATE_RUNS"); do
    run_rate "$1.$i"
    req=$((req + ${REQ:-0})); rps+=("$RPS"); p99+=("$P99"); p99s+=("$P99S"); p999+=("$P999"); scpu+=("$SCPU")
  done
  cp "$1.1" "$1"
  med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  avg() { printf '%s\n' "$@" | awk '{s+=$1} END {printf "%.1f", s/NR}'; }
  REQ=$req RPS=$(avg "${rps[@]}") P99=$(med "${p99[@]}") P99S=$(med "${p99s[@]}") P999=$(med "${p999[@]}")
  SCPU=$(avg "${scpu[@]}") P99_RUNS=$(IFS=/; echo "${p99[*]}")
}
# traced RUNNER FILE: the run plus the collector's figures: CCPU (collector CPU ms per 1,000 requests = µs per
# request, over the run and the 3 s flush pause after it; the idle cost — periodic /proc scan, timers — is measured
# separately for 10 s before phase B and printed in the row), SPANS, LOST (ring-buffer write failures / channel drops), PERR (parse errors), BPF (ns per request)
traced() {
  local m0 m1 c0 c1
  sleep 3 # spans of the previous run are flushed (batch_timeout 1 s, batch processor 200 ms) before counting
  m0=$(scrape); c0=$(ticks "$COLLECTOR_PID")
  [ "$BPF_STATS" != 1 ] || bpf_prog_stats "$COLLECTOR_PID" >"$2.bpf0"
  "$1" "$2"
  [ "$BPF_STATS" != 1 ] || bpf_prog_stats "$COLLECTOR_PID" >"$2.bpf1"
  sleep 3
  m1=$(scrape); c1=$(ticks "$COLLECTOR_PID")
  CCPU=$(python3 -c "print(f'{($c1-$c0)*1e6/$clk/max(1,${REQ:-0}):.1f}')")
  d() { echo $(( $(metric "$m1" "$1" "${2:-}") - $(metric "$m0" "$1" "${2:-}") )); }
  SPANS=$(d otelcol_receiver_accepted_spans 'receiver="ebpf"')
  LOST="$(d otelcol_receiver_ebpf_ringbuf_write_failures) / $(d otelcol_receiver_ebpf_channel_dropped_events)"
  PERR=$(d otelcol_receiver_ebpf_parse_errors)
  EVENTS=$(d otelcol_receiver_ebpf_events_received)
  BPF="-"; [ "$BPF_STATS" != 1 ] || BPF=$(bpf_cost "$2.bpf0" "$2.bpf1" "${REQ:-0}")
  echo "$m1" >"$2.metrics"
}

# ---------------------------------------------------------------- one server
declare -A R
phase() { # A|B|C: one untraced or traced phase; results into R[phase.kind.field]
  local p=$1 f=$OUT/$NAME-$1
  nice -n "$NICE" taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNS" -d"${WARMUP}s" "$URL" >"$f-warmup" 2>&1 || true
  R[$p.la]=$(cut -d' ' -f1 /proc/loadavg)
  for kind in sat rate; do
    local runner=run_wrk; [ $kind = sat ] || runner=run_rates
    if [ "$p" = B ]; then traced $runner "$f-$kind"; else $runner "$f-$kind"; fi
    R[$p.$kind.req]=$REQ R[$p.$kind.rps]=$RPS R[$p.$kind.p99]=$P99 R[$p.$kind.scpu]=$SCPU
    [ $kind = sat ] || { R[$p.$kind.p99s]=$P99S R[$p.$kind.p999]=$P999 R[$p.$kind.runs]=$P99_RUNS; }
    if [ "$p" = B ]; then
      R[$p.$kind.ccpu]=$CCPU R[$p.$kind.spans]=$SPANS R[$p.$kind.lost]=$LOST R[$p.$kind.perr]=$PERR
      R[$p.$kind.events]=$EVENTS R[$p.$kind.bpf]=$BPF
    fi
    log "$NAME $p $kind: $RPS req/s, p99 $P99 µs, server ${SCPU} µs/req${CCPU:+, collector $CCPU µs/req, spans $SPANS of $REQ, lost $LOST}"
  done
  CCPU=""
}
row() { # KIND LABEL
  local k=$1 mean
  mean() { python3 -c "print(f'{(float(\"$1\")+float(\"$2\"))/2:.0f}')"; }
  local ur up uc; ur=$(mean "${R[A.$k.rps]}" "${R[C.$k.rps]}"); up=$(mean "${R[A.$k.p99]}" "${R[C.$k.p99]}")
  uc=$(python3 -c "print(f'{(${R[A.$k.scpu]}+${R[C.$k.scpu]})/2:.1f}')")
  local ratio dp; ratio=$(python3 -c "print(f'{${R[B.$k.rps]}/$ur*100:.1f} %')"); dp=$(python3 -c "print(f'{${R[B.$k.p99]}-$up:+.0f}')")
  local p99=" ${R[B.$k.p99]}"; [ "$k" = sat ] || p99=" ${R[B.$k.p99]} (p999 ${R[A.$k.p999]}/${R[C.$k.p999]} → ${R[B.$k.p999]}; scheduled p99 ${R[A.$k.p99s]}/${R[C.$k.p99s]} → ${R[B.$k.p99s]}; medians of $RATE_RUNS runs, p99 of each A ${R[A.$k.runs]}, B ${R[B.$k.runs]}, C ${R[C.$k.runs]})"
  echo "| $NAME | $2 (collector idle $IDLE ms/s) | ${R[A.$k.rps]} / ${R[C.$k.rps]} | ${R[B.$k.rps]} | $ratio | ${R[A.$k.p99]} / ${R[C.$k.p99]} →$p99 | $dp | $uc → ${R[B.$k.scpu]} | ${R[B.$k.ccpu]} | ${R[B.$k.lost]} | ${R[B.$k.perr]} | ${R[B.$k.spans]} / ${R[B.$k.req]} | ${R[B.$k.bpf]} | ${R[A.la]} / ${R[B.la]} / ${R[C.la]} |" | tee -a "$OUT/results.md"
}
bench() { # NAME PORT START
  NAME=$1 URL=http://127.0.0.1:$2/
  port_free "$2" || { echo "port $2 is in use" >&2; exit 1; }
  log "$NAME on core $SERVER_CORE, load on core $LOAD_CORE, collector on core $COLLECTOR_CORE"
  "$3" || { echo "$NAME did not start (see $OUT)" >&2; exit 1; }
  phase A
  start_collector "$2"
  if [ "$BPF_STATS" = 1 ]; then STATS_BEFORE=${STATS_BEFORE:-$(sysctl -n kernel.bpf_stats_enabled)}; sysctl -qw kernel.bpf_stats_enabled=1; fi
  local i0 i1; i0=$(ticks "$COLLECTOR_PID"); sleep 10; i1=$(ticks "$COLLECTOR_PID")
  IDLE=$(python3 -c "print(f'{($i1-$i0)*1000/$clk/10:.1f}')")
  log "$NAME: collector idle (discovered, no load) $IDLE ms CPU per s"
  phase B
  [ -z "$STATS_BEFORE" ] || sysctl -qw kernel.bpf_stats_enabled="$STATS_BEFORE"
  stop_collector
  grep -h 'eBPF receiver stopped' "$OUT/collector-$NAME.log" | sed 's/^/  /' >&2 || true
  phase C
  stop "$SERVER_PID"; SERVER_PID=""
  row sat "wrk flat out"
  row rate "httprate $RATE req/s"
}

# ---------------------------------------------------------------- run
others=$(bpftool prog show 2>/dev/null | grep -c 'tracepoint' || true)
{
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), kernel $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC'), $(uptime | sed 's/.*load/load/')"
  echo "Collector: $build build, core $COLLECTOR_CORE, nice $COLLECTOR_NICE${COLLECTOR_WRAP:+, under $COLLECTOR_WRAP}; server core $SERVER_CORE; load core $LOAD_CORE; $CONNS connections; ${DURATION} s per run; tracepoint programs already loaded by others: $others"
  echo
  echo "| server | load | untraced req/s (A / C) | traced req/s | traced / untraced | p99 µs untraced (A / C) → traced | Δp99 µs | server CPU µs/req untraced → traced | collector CPU ms per 1,000 req | lost: ringbuf / channel | parse errors | spans / requests | BPF cost per request | load avg A / B / C |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} | tee "$OUT/results.md"
case $which in nginx|all) bench nginx $NGINX_PORT start_nginx;; esac
case $which in kestrel|all) bench kestrel $KESTREL_PORT start_kestrel;; esac
log "done: $OUT/results.md"
