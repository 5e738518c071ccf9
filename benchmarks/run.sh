#!/usr/bin/env bash
# End-to-end benchmarks of issue 5 §2, one table row per scenario, in the method of ../shared/bench/cpu-per-span.sh:
# the server under test is pinned to core 0, the load (h2load, a C HTTP/2 client) to core 1, and the CPU figure is the
# server process's utime+stime over a fixed number of requests divided by the items they carried.
#
# usage: benchmarks/run.sh [--repeat N] [aot|jit|both|null] (default both; aot falls back to jit when the AOT publish
#                                             fails; null measures only the yardstick)
#        --repeat N      measure every row N times (warm-up + measured run each, same process) and report the median
#                        with the spread (min–max); default 1 (env REPEAT)
# env:   REQUESTS=20000  requests per measured run (100 items each; 2,000 more warm up first)
#        LAT_SECONDS=10  length of the latency run at half of saturation (once per row, at half the median rate)
#        SKIP_BUILD=1    reuse the binaries under $OUT from an earlier run
#        ONLY=REGEX      run only the collector rows whose name matches (the null server rows always run)
#        COLLECTOR_ENV   extra environment for the collector under test, e.g. "DOTNET_gcConcurrent=0" (knob trials)
#        FIXED_RATE=200000 FIXED_SECONDS=20   the exporter rows again, each in a fresh collector driven by our load
#                        generator at this many spans/s (one the null server keeps up with, so the sending queue stays
#                        empty); their own table. FIXED_RATE=0 skips them.
#        FIXED_WARM_SINK=2  seconds of our load generator sent straight to the null server (at FIXED_RATE) before each
#                        fixed-rate collector starts: the null server is JIT-compiled and answers its first requests
#                        ~0.5 s late, a backlog the fresh collector's peak RSS would otherwise show. 0 = cold sink.
# Writes the table to stdout and to $OUT/results.md; logs of every run are kept under $OUT.
# Loopback only (127.0.0.1); every run is bounded by a request count or a time.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$repo/../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)
OUT=${OUT:-/tmp/pipeline-bench}
REQUESTS=${REQUESTS:-20000}
WARMUP=${WARMUP:-2000}
LAT_SECONDS=${LAT_SECONDS:-10}
FIXED_RATE=${FIXED_RATE:-200000}
FIXED_SECONDS=${FIXED_SECONDS:-20}
FIXED_WARM_SINK=${FIXED_WARM_SINK:-2}
REPEAT=${REPEAT:-1}
ITEMS=100
if [ "${1:-}" = --repeat ]; then REPEAT=$2; shift 2; fi
[ "$REPEAT" -ge 1 ] 2>/dev/null || { echo "--repeat needs a positive count" >&2; exit 2; }
builds=${1:-both}
mkdir -p "$OUT"
command -v h2load >/dev/null || { echo "h2load missing: apt-get install -y nghttp2-client" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "needs 2 cores (collector on core 0, load on core 1)" >&2; exit 2; }

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# ---------------------------------------------------------------- builds
yard=$OUT/yardstick            # ../shared/bench is read-only: build a copy, as cpu-per-span.sh does
aot=$OUT/aot jit=$OUT/jit lg=$OUT/loadgen
if [ -z "${SKIP_BUILD:-}" ]; then
  log "building the yardstick (null server) and the load generator"
  rm -rf "$yard/src"; mkdir -p "$yard"; cp -r "$shared/loadgen" "$yard/src"; chmod -R u+w "$yard/src"
  dotnet build "$yard/src/loadgen.csproj" -c Release -o "$yard/bin" >"$OUT/build-yardstick.log" 2>&1
  dotnet build "$repo/benchmarks/Pipeline.LoadGen" -c Release -o "$lg" >"$OUT/build-loadgen.log" 2>&1
  if [ "$builds" = aot ] || [ "$builds" = both ]; then
    log "publishing the collector with Native AOT"
    rm -rf "$aot"
    if ! dotnet publish "$repo/host" -c Release -r linux-x64 -p:PublishAot=true -o "$aot" >"$OUT/build-aot.log" 2>&1; then
      log "AOT publish failed (see $OUT/build-aot.log):"; grep -E 'error' "$OUT/build-aot.log" | sort -u | head -5 >&2
      rm -rf "$aot"; [ "$builds" = aot ] && builds=jit
    fi
  fi
  if [ "$builds" = jit ] || [ "$builds" = both ]; then
    log "publishing the collector with the JIT (framework-dependent)"
    rm -rf "$jit"
    dotnet publish "$repo/host" -c Release -p:PublishAot=false -o "$jit" >"$OUT/build-jit.log" 2>&1
  fi
fi
variants=()
case $builds in aot|both) [ -x "$aot/pipeline" ] && variants+=(aot);; esac
case $builds in jit|both) [ -x "$jit/pipeline" ] && variants+=(jit);; esac
[ ${#variants[@]} -gt 0 ] || [ "$builds" = null ] || { echo "no collector binary" >&2; exit 1; }

# Request bodies: traces exactly as the yardstick's (100 spans, 10 attributes, ~39 KB); metrics and logs from our
# load generator (100 gauge points / log records, 10 attributes of 16 bytes).
dotnet "$yard/bin/loadgen.dll" dump "$OUT/traces.grpc" $ITEMS
"$lg/loadgen" --signal metrics --items $ITEMS --dump "$OUT/metrics.grpc"
"$lg/loadgen" --signal logs --items $ITEMS --dump "$OUT/logs.grpc"

# ---------------------------------------------------------------- helpers
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
clk=$(getconf CLK_TCK)
rss_kb() { awk -v k="$2" '$1==k":" {print $2}' "/proc/$1/status"; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
wait_port() { # PORT [seconds [PID]]: poll until something accepts on 127.0.0.1:PORT (fails early if PID exits)
  local deadline=$((SECONDS + ${2:-30}))
  until (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1; [ -z "${3:-}" ] || kill -0 "$3" 2>/dev/null || return 1; sleep 0.05
  done
}
port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
NULL_PID="" COL_PID="" SINK_PID=""
cleanup() { for p in $NULL_PID $COL_PID $SINK_PID; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

grpc_path() { case $1 in traces) echo /opentelemetry.proto.collector.trace.v1.TraceService/Export;;
  metrics) echo /opentelemetry.proto.collector.metrics.v1.MetricsService/Export;;
  logs) echo /opentelemetry.proto.collector.logs.v1.LogsService/Export;; esac; }

# drive N PROTO SIGNAL PORT: h2load on core 1. gRPC: 2 HTTP/2 connections x 16 streams (as cpu-per-span.sh);
# HTTP/1.1: 16 connections, no pipelining.
drive() {
  local n=$1 proto=$2 sig=$3 port=$4
  if [ "$proto" = grpc ]; then
    taskset -c 1 h2load -n "$n" -c 2 -m 16 -w 24 -W 30 -d "$OUT/$sig.grpc" -H 'content-type: application/grpc' \
      -H 'te: trailers' "http://127.0.0.1:$port$(grpc_path "$sig")"
  else
    taskset -c 1 h2load --h1 -n "$n" -c 16 -m 1 -d "$OUT/$sig.grpc.pb" -H 'content-type: application/x-protobuf' \
      "http://127.0.0.1:$port/v1/$sig"
  fi
}

# stats V...: "median (min–max)" of the values, or the value alone for one run
stats() { python3 - "$@" <<'EOF'
import statistics, sys
v = [float(x) for x in sys.argv[1:] if x not in ("", "?")]
if not v: print("?"); sys.exit()
d = 3 if any(x != int(x) for x in v) else 0
f = lambda x: f"{x:.{d}f}"
print(f(statistics.median(v)) if len(v) == 1 else f"{f(statistics.median(v))} ({f(min(v))}–{f(max(v))})")
EOF
}
median() { python3 -c 'import statistics, sys; v=[float(x) for x in sys.argv[1:]]; print(statistics.median(v) if v else 0)' "$@"; }
selected() { [[ $1 == null* || -z ${ONLY:-} || $1 =~ $ONLY ]]; }

# measure NAME PID PROTO SIGNAL PORT: one table row from REPEAT runs. Sets NULL_US when NAME starts with "null".
# Peak RSS is VmHWM over each run's warm-up + measured requests: it is reset to the current RSS first (writing 5 to
# /proc/PID/clear_refs), so a repeat does not inherit an earlier run's peak.
measure() {
  local name=$1 pid=$2 proto=$3 sig=$4 port=$5 f=$OUT/run-${1//[^a-zA-Z0-9]/_}
  selected "$name" || return 0
  local r oks=0 uss=() sats=() steadys=() peaks=() las=()
  for ((r = 1; r <= REPEAT; r++)); do
    las+=("$(loadavg)")
    echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
    drive "$WARMUP" "$proto" "$sig" "$port" >"$f.$r.warmup" 2>&1 || true
    # RSS sampled every 200 ms during the measured run; steady = median of the samples
    ( while kill -0 "$pid" 2>/dev/null; do rss_kb "$pid" VmRSS; sleep 0.2; done ) >"$f.$r.rss" & local sampler=$!
    local t0 t1; t0=$(ticks "$pid")
    drive "$REQUESTS" "$proto" "$sig" "$port" >"$f.$r.h2load" 2>&1 || true
    t1=$(ticks "$pid")
    kill $sampler 2>/dev/null || true; wait $sampler 2>/dev/null || true
    local ok; ok=$(awk '/^requests:/ {print $8}' "$f.$r.h2load")
    oks=$((oks + ${ok:-0}))
    local rps; rps=$(awk '/^finished in/ {gsub(",","",$4); print $4}' "$f.$r.h2load")
    uss+=("$(python3 -c "print(f'{($t1-$t0)*1e6/$clk/($REQUESTS*$ITEMS):.3f}')")")
    sats+=("$(python3 -c "print(f'{${rps:-0}*$ITEMS:.0f}')")")
    steadys+=("$(sort -n "$f.$r.rss" | awk '{a[NR]=$1} END {if (NR) printf "%.0f", a[int((NR+1)/2)]/1024; else print "?"}')")
    peaks+=("$(( $(rss_kb "$pid" VmHWM) / 1024 ))")
  done
  local us sat; us=$(median "${uss[@]}"); sat=$(median "${sats[@]}")
  # p99 at half of saturation: our load generator (a .NET client) on core 1 at half the median saturation rate
  # RSS is sampled again during it (steady / peak at a rate the exporter rows' sinks can keep up with)
  local ep=http://127.0.0.1:$port p99 achieved
  echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
  ( while kill -0 "$pid" 2>/dev/null; do rss_kb "$pid" VmRSS; sleep 0.2; done ) >"$f.latency.rss" & local sampler=$!
  taskset -c 1 "$lg/loadgen" --endpoint "$ep" --protocol "$proto" --signal "$sig" \
    --items $ITEMS --seconds "$LAT_SECONDS" --rate "$(python3 -c "print(int($sat / 2))")" --connections 2 --concurrency 16 >"$f.latency" 2>&1 || true
  kill $sampler 2>/dev/null || true; wait $sampler 2>/dev/null || true
  local half_rss; half_rss="$(sort -n "$f.latency.rss" | awk '{a[NR]=$1} END {if (NR) printf "%.0f", a[int((NR+1)/2)]/1024; else print "?"}') / $(( $(rss_kb "$pid" VmHWM) / 1024 ))"
  p99=$(awk '/^latency/ {print $6}' "$f.latency"); achieved=$(awk '/^accepted/ {print $2}' "$f.latency")
  local refused; refused=$(awk '/^accepted/ {gsub(",","",$7); print $7"/"$9}' "$f.latency")
  local mult=""
  if [[ $name == null* ]]; then NULL_US=$us; mult="1.00"; else mult=$(python3 -c "print(f'{$us/${NULL_US:-0}:.2f}' if ${NULL_US:-0} else '?')"); fi
  local row="| $name | $oks/$((REQUESTS * REPEAT)) | $(stats "${sats[@]}") | $(stats "${uss[@]}") | $mult | $(stats "${steadys[@]}") | $(stats "${peaks[@]}") | ${p99:-?} @ ${achieved:-?}/s (refused/failed $refused) | $half_rss | $(stats "${las[@]}") |"
  echo "$row" | tee -a "$OUT/results.md"
}

# measure_fixed NAME PID: our load generator at FIXED_RATE spans/s for FIXED_SECONDS into a fresh collector; RSS steady
# (median of 200 ms samples) and peak (VmHWM since the process started) with the exporter's queue empty. Appends a row
# to FIXED_ROWS (printed as its own table).
FIXED_ROWS=()
measure_fixed() {
  local name=$1 pid=$2 f=$OUT/fixed-${1//[^a-zA-Z0-9]/_} la; la=$(loadavg)
  ( while kill -0 "$pid" 2>/dev/null; do rss_kb "$pid" VmRSS; sleep 0.2; done ) >"$f.rss" & local sampler=$!
  local t0 t1; t0=$(ticks "$pid")
  taskset -c 1 "$lg/loadgen" --endpoint http://127.0.0.1:4317 --protocol grpc --signal traces --items $ITEMS \
    --seconds "$FIXED_SECONDS" --rate "$FIXED_RATE" --connections 2 --concurrency 16 >"$f.latency" 2>&1 || true
  t1=$(ticks "$pid")
  kill $sampler 2>/dev/null || true; wait $sampler 2>/dev/null || true
  local steady peak accepted refused p99 items us
  steady=$(sort -n "$f.rss" | awk '{a[NR]=$1} END {if (NR) printf "%.0f", a[int((NR+1)/2)]/1024; else print "?"}')
  peak=$(( $(rss_kb "$pid" VmHWM) / 1024 ))
  accepted=$(awk '/^accepted/ {print $2}' "$f.latency"); refused=$(awk '/^accepted/ {gsub(",","",$7); print $7"/"$9}' "$f.latency")
  items=$(awk '/^accepted/ {gsub("[(]","",$4); print $4}' "$f.latency"); p99=$(awk '/^latency/ {print $6}' "$f.latency")
  us=$(python3 -c "print(f'{($t1-$t0)*1e6/$clk/${items:-0}:.3f}' if ${items:-0} else '?')")
  FIXED_ROWS+=("| $name | ${accepted:-?} | $refused | $us | $steady | $peak | ${p99:-?} | $la |")
}

header() {
  echo "| scenario | requests ok (h2load) | items/s at saturation | CPU µs per item | × null server | RSS steady MB | RSS peak MB | p99 ms at half saturation | RSS steady / peak MB at half saturation | load avg 1 min |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
}

# start_null: the yardstick's null gRPC server (HTTP/2 on 14317, OTLP/HTTP 1.1 on 14318) pinned to CORE
start_null() { port_free 14317 && port_free 14318 || { echo "port 14317 or 14318 is in use" >&2; exit 1; }
  taskset -c "$1" dotnet "$yard/bin/loadgen.dll" null-server 14317 >"$OUT/null-server.log" 2>&1 & NULL_PID=$!; wait_port 14317; wait_port 14318; }

# start_collector VARIANT CONFIG: on core 0; waits for 4317
start_collector() {
  port_free 4317 || { echo "port 4317 is in use" >&2; exit 1; }
  # shellcheck disable=SC2086 # COLLECTOR_ENV is a list of NAME=VALUE words
  env ${COLLECTOR_ENV:-} taskset -c 0 "$OUT/$1/pipeline" --config "$repo/benchmarks/configs/$2" >"$OUT/collector-$1-${2%.yaml}.log" 2>&1 &
  COL_PID=$!
  wait_port 4317 60 $COL_PID && return 0
  stop $COL_PID
  echo "| [$1] $2: not run, the collector did not open 4317: $(grep -v '^\s*$' "$OUT/collector-$1-${2%.yaml}.log" | head -2 | tr '\n|' ' /') | | | | | | | | | |" | tee -a "$OUT/results.md"
  return 1
}

# start_sink VARIANT: our own collector (sink.yaml: OTLP gRPC on 14317 → batch → nop) on core 1, beside the load
start_sink() {
  port_free 14317 || { echo "port 14317 is in use" >&2; exit 1; }
  taskset -c 1 "$OUT/$1/pipeline" --config "$repo/benchmarks/configs/sink.yaml" >"$OUT/sink-$1.log" 2>&1 & SINK_PID=$!
  wait_port 14317 60 $SINK_PID
}
# any NAME...: true when at least one of the rows would run (saves starting processes for skipped rows)
any() { local n; for n; do selected "$n" && return 0; done; return 1; }

# ---------------------------------------------------------------- run
{
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), kernel $(uname -r), .NET SDK $(dotnet --version), $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "Each row: $REPEAT × ($WARMUP warm-up + $REQUESTS measured requests of $ITEMS items), median (min–max); one latency run of $LAT_SECONDS s.${COLLECTOR_ENV:+ Collector environment: $COLLECTOR_ENV.}"
  echo
} | tee "$OUT/results.md"
header | tee -a "$OUT/results.md"

log "null server (yardstick) on core 0"
start_null 0
measure "null gRPC server (yardstick), traces gRPC" $NULL_PID grpc traces 14317
NULL_GRPC=$NULL_US
measure "null OTLP/HTTP endpoint (yardstick), traces HTTP/1.1" $NULL_PID http traces 14318
NULL_HTTP=$NULL_US
stop $NULL_PID

for v in ${variants[@]+"${variants[@]}"}; do
  log "$v: otlp → batch → nop"
  if any "[$v] traces gRPC → batch → nop" "[$v] traces HTTP/protobuf → batch → nop" "[$v] metrics gRPC → batch → nop" \
    "[$v] logs gRPC → batch → nop" && start_collector "$v" otlp-batch-nop.yaml; then
  NULL_US=$NULL_GRPC; measure "[$v] traces gRPC → batch → nop" $COL_PID grpc traces 4317
  NULL_US=$NULL_HTTP; measure "[$v] traces HTTP/protobuf → batch → nop" $COL_PID http traces 4318
  NULL_US=$NULL_GRPC; measure "[$v] metrics gRPC → batch → nop" $COL_PID grpc metrics 4317
  measure "[$v] logs gRPC → batch → nop" $COL_PID grpc logs 4317
  stop $COL_PID
  fi

  # the exporter's sink is the null server on core 1, beside h2load: only the collector's CPU is counted
  for c in none gzip; do
    any "[$v] traces gRPC → batch → otlp exporter ($c) → null server" || continue
    log "$v: otlp → batch → otlp exporter ($c) → null server"
    start_null 1
    if start_collector "$v" otlp-batch-otlp-$c.yaml; then
      measure "[$v] traces gRPC → batch → otlp exporter ($c) → null server" $COL_PID grpc traces 4317
      stop $COL_PID
    fi
    stop $NULL_PID
  done
  if [ "$FIXED_RATE" != 0 ]; then
    for c in none gzip; do
      name="[$v] traces gRPC → batch → otlp exporter ($c) → null server at $FIXED_RATE spans/s"
      selected "$name" || continue
      log "$v: otlp → batch → otlp exporter ($c) → null server at a fixed $FIXED_RATE spans/s"
      start_null 1
      if [ "$FIXED_WARM_SINK" != 0 ]; then
        taskset -c 1 "$lg/loadgen" --endpoint http://127.0.0.1:14317 --protocol grpc --signal traces --items $ITEMS \
          --seconds "$FIXED_WARM_SINK" --rate "$FIXED_RATE" --connections 2 --concurrency 16 >"$OUT/fixed-sink-warmup-$c.log" 2>&1 || true
      fi
      if start_collector "$v" otlp-batch-otlp-$c.yaml; then measure_fixed "$name" $COL_PID; stop $COL_PID; fi
      stop $NULL_PID
    done
  fi

  # the second collector (ours, sink.yaml) on core 1 beside the load; metrics and logs are compared with the null
  # server's traces figure (it serves traces only)
  second="resource + attributes → batch → otlp exporter (gzip) → second collector"
  if any "[$v] traces gRPC → $second" "[$v] metrics gRPC → $second" "[$v] logs gRPC → $second"; then
    log "$v: otlp → $second"
    if start_sink "$v" && start_collector "$v" otlp-attrs-batch-otlp.yaml; then
      for sig in traces metrics logs; do measure "[$v] $sig gRPC → $second" $COL_PID grpc $sig 4317; done
      stop $COL_PID
    fi
    stop $SINK_PID
  fi

  log "$v: otlp → batch → file"
  rm -rf /tmp/pipeline-bench/out
  if any "[$v] traces gRPC → batch → file (proto)" && start_collector "$v" otlp-batch-file.yaml; then
    measure "[$v] traces gRPC → batch → file (proto)" $COL_PID grpc traces 4317
    stop $COL_PID
  fi
  rm -rf /tmp/pipeline-bench/out
done

if [ ${#FIXED_ROWS[@]} -gt 0 ]; then
  {
    echo
    echo "| fixed rate, fresh collector, $FIXED_SECONDS s of our load generator$([ "$FIXED_WARM_SINK" != 0 ] && echo ", null server warmed $FIXED_WARM_SINK s" || echo ", cold null server") | accepted items/s | refused/failed | CPU µs per item | RSS steady MB | RSS peak MB (since start) | p99 ms | load avg 1 min |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${FIXED_ROWS[@]}"
  } | tee -a "$OUT/results.md"
fi

# ---------------------------------------------------------------- start-up and idle RSS
{
  echo
  echo "| start-up (otlp-batch-nop.yaml, core 0) | exec → 4317 accepting, median of 5 (min–max) ms | RSS idle after 5 s, MB | load avg 1 min |"
  echo "|---|---|---|---|"
} | tee -a "$OUT/results.md"
startup() { # CMD...: prints "ms rss_mb"
  python3 - "$@" <<'EOF'
import os, socket, subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(["env"] + os.environ.get("COLLECTOR_ENV", "").split() + ["taskset", "-c", "0"] + sys.argv[1:],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while True:
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", 4317)); break
    except OSError:
        if time.monotonic() - t0 > 30 or p.poll() is not None: print("nan nan"); sys.exit(0)
        time.sleep(0.001)
    finally:
        s.close()
ms = (time.monotonic() - t0) * 1000
time.sleep(5)
rss = next(int(l.split()[1]) for l in open(f"/proc/{p.pid}/status") if l.startswith("VmRSS:")) / 1024
p.terminate(); p.wait()
print(f"{ms:.0f} {rss:.1f}")
EOF
}
startup_row() { # NAME CMD...
  local name=$1; shift; local la; la=$(loadavg) ms=() rss=""
  for i in 1 2 3 4 5; do read -r m r < <(startup "$@"); ms+=("$m"); rss=$r; done
  local sorted; sorted=$(printf '%s\n' "${ms[@]}" | sort -n | tr '\n' ' ')
  read -r a b c d e <<<"$sorted"
  echo "| $name | $c ($a–$e) | $rss | $la |"
}
COLLECTOR_ENV="" startup_row "null gRPC server (yardstick, JIT)" dotnet "$yard/bin/loadgen.dll" null-server 4317 | tee -a "$OUT/results.md"
for v in ${variants[@]+"${variants[@]}"}; do
  startup_row "[$v] pipeline" "$OUT/$v/pipeline" --config "$repo/benchmarks/configs/otlp-batch-nop.yaml" | tee -a "$OUT/results.md"
done
log "done: $OUT/results.md"
