#!/usr/bin/env bash
# End-to-end benchmarks of issue 5 §2, one table row per scenario, in the method of ../shared/bench/cpu-per-span.sh:
# the server under test is pinned to core 0, the load (h2load, a C HTTP/2 client) to core 1, and the CPU figure is the
# server process's utime+stime over a fixed number of requests divided by the items they carried.
#
# usage: benchmarks/run.sh [aot|jit|both|null] (default both; aot falls back to jit when the AOT publish fails;
#                                             null measures only the yardstick)
# env:   REQUESTS=20000  requests per measured run (100 items each; 2,000 more warm up first)
#        LAT_SECONDS=10  length of the latency run at half of saturation
#        SKIP_BUILD=1    reuse the binaries under $OUT from an earlier run
# Writes the table to stdout and to $OUT/results.md; logs of every run are kept under $OUT.
# Loopback only (127.0.0.1); every run is bounded by a request count or a time.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$repo/../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)
OUT=${OUT:-/tmp/pipeline-bench}
REQUESTS=${REQUESTS:-20000}
WARMUP=${WARMUP:-2000}
LAT_SECONDS=${LAT_SECONDS:-10}
ITEMS=100
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
NULL_PID="" COL_PID=""
cleanup() { for p in $NULL_PID $COL_PID; do kill "$p" 2>/dev/null || true; done; }
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

# measure NAME PID PROTO SIGNAL PORT: one table row. Sets NULL_US when NAME starts with "null".
measure() {
  local name=$1 pid=$2 proto=$3 sig=$4 port=$5 f=$OUT/run-${1//[^a-zA-Z0-9]/_}
  local la; la=$(loadavg)
  drive "$WARMUP" "$proto" "$sig" "$port" >"$f.warmup" 2>&1 || true
  # RSS sampled every 200 ms during the measured run; steady = median of the samples
  ( while kill -0 "$pid" 2>/dev/null; do rss_kb "$pid" VmRSS; sleep 0.2; done ) >"$f.rss" & local sampler=$!
  local t0 t1; t0=$(ticks "$pid")
  drive "$REQUESTS" "$proto" "$sig" "$port" >"$f.h2load" 2>&1 || true
  t1=$(ticks "$pid")
  kill $sampler 2>/dev/null || true; wait $sampler 2>/dev/null || true
  local ok; ok=$(awk '/^requests:/ {print $8}' "$f.h2load")
  local status; status=$(grep -E '^status codes' "$f.h2load" | sed 's/status codes: //')
  local rps; rps=$(awk '/^finished in/ {gsub(",","",$4); print $4}' "$f.h2load")
  local us; us=$(python3 -c "print(f'{($t1-$t0)*1e6/$clk/($REQUESTS*$ITEMS):.3f}')")
  local sat; sat=$(python3 -c "print(f'{${rps:-0}*$ITEMS:.0f}')")
  local steady; steady=$(sort -n "$f.rss" | awk '{a[NR]=$1} END {if (NR) printf "%.0f", a[int((NR+1)/2)]/1024; else print "?"}')
  local peak; peak=$(( $(rss_kb "$pid" VmHWM) / 1024 ))
  # p99 at half of saturation: our load generator (a .NET client) on core 1 at a fixed rate
  local ep=http://127.0.0.1:$port lat p99 achieved
  taskset -c 1 "$lg/loadgen" --endpoint "$ep" --protocol "$proto" --signal "$sig" \
    --items $ITEMS --seconds "$LAT_SECONDS" --rate $((sat / 2)) --connections 2 --concurrency 16 >"$f.latency" 2>&1 || true
  p99=$(awk '/^latency/ {print $6}' "$f.latency"); achieved=$(awk '/^accepted/ {print $2}' "$f.latency")
  local refused; refused=$(awk '/^accepted/ {gsub(",","",$7); print $7"/"$9}' "$f.latency")
  local mult=""
  if [[ $name == null* ]]; then NULL_US=$us; mult="1.00"; else mult=$(python3 -c "print(f'{$us/${NULL_US:-0}:.2f}' if ${NULL_US:-0} else '?')"); fi
  local row="| $name | ${ok:-0}/$REQUESTS | $sat | $us | $mult | $steady | $peak | ${p99:-?} @ ${achieved:-?}/s (refused/failed $refused) | $la |"
  echo "$row" | tee -a "$OUT/results.md"
}

header() {
  echo "| scenario | requests ok (h2load) | items/s at saturation | CPU µs per item | × null server | RSS steady MB | RSS peak MB | p99 ms at half saturation | load avg 1 min |"
  echo "|---|---|---|---|---|---|---|---|---|"
}

# start_null: the yardstick's null gRPC server (HTTP/2 on 14317, OTLP/HTTP 1.1 on 14318) pinned to CORE
start_null() { port_free 14317 && port_free 14318 || { echo "port 14317 or 14318 is in use" >&2; exit 1; }
  taskset -c "$1" dotnet "$yard/bin/loadgen.dll" null-server 14317 >"$OUT/null-server.log" 2>&1 & NULL_PID=$!; wait_port 14317; wait_port 14318; }

# start_collector VARIANT CONFIG: on core 0; waits for 4317
start_collector() {
  port_free 4317 || { echo "port 4317 is in use" >&2; exit 1; }
  taskset -c 0 "$OUT/$1/pipeline" --config "$repo/benchmarks/configs/$2" >"$OUT/collector-$1-${2%.yaml}.log" 2>&1 &
  COL_PID=$!
  wait_port 4317 60 $COL_PID && return 0
  stop $COL_PID
  echo "| [$1] $2: not run, the collector did not open 4317: $(grep -v '^\s*$' "$OUT/collector-$1-${2%.yaml}.log" | head -2 | tr '\n|' ' /') | | | | | | | | |" | tee -a "$OUT/results.md"
  return 1
}

# ---------------------------------------------------------------- run
{
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), kernel $(uname -r), .NET SDK $(dotnet --version), $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "Each run: $WARMUP warm-up + $REQUESTS measured requests of $ITEMS items; latency runs of $LAT_SECONDS s."
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
  if start_collector "$v" otlp-batch-nop.yaml; then
  NULL_US=$NULL_GRPC; measure "[$v] traces gRPC → batch → nop" $COL_PID grpc traces 4317
  NULL_US=$NULL_HTTP; measure "[$v] traces HTTP/protobuf → batch → nop" $COL_PID http traces 4318
  NULL_US=$NULL_GRPC; measure "[$v] metrics gRPC → batch → nop" $COL_PID grpc metrics 4317
  measure "[$v] logs gRPC → batch → nop" $COL_PID grpc logs 4317
  stop $COL_PID
  fi

  # the exporter's sink is the null server on core 1, beside h2load: only the collector's CPU is counted
  for c in none gzip; do
    log "$v: otlp → batch → otlp exporter ($c) → null server"
    start_null 1
    if start_collector "$v" otlp-batch-otlp-$c.yaml; then
      measure "[$v] traces gRPC → batch → otlp exporter ($c) → null server" $COL_PID grpc traces 4317
      stop $COL_PID
    fi
    stop $NULL_PID
  done

  log "$v: otlp → batch → file"
  rm -rf /tmp/pipeline-bench/out
  if start_collector "$v" otlp-batch-file.yaml; then
    measure "[$v] traces gRPC → batch → file (proto)" $COL_PID grpc traces 4317
    stop $COL_PID
  fi
  rm -rf /tmp/pipeline-bench/out
done

# ---------------------------------------------------------------- start-up and idle RSS
{
  echo
  echo "| start-up (otlp-batch-nop.yaml, core 0) | exec → 4317 accepting, median of 5 (min–max) ms | RSS idle after 5 s, MB | load avg 1 min |"
  echo "|---|---|---|---|"
} | tee -a "$OUT/results.md"
startup() { # CMD...: prints "ms rss_mb"
  python3 - "$@" <<'EOF'
import socket, subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(["taskset", "-c", "0"] + sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
startup_row "null gRPC server (yardstick, JIT)" dotnet "$yard/bin/loadgen.dll" null-server 4317 | tee -a "$OUT/results.md"
for v in ${variants[@]+"${variants[@]}"}; do
  startup_row "[$v] pipeline" "$OUT/$v/pipeline" --config "$repo/benchmarks/configs/otlp-batch-nop.yaml" | tee -a "$OUT/results.md"
done
log "done: $OUT/results.md"
