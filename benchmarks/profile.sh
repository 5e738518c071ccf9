#!/usr/bin/env bash
# CPU profile of the saturated OTLP gRPC → batch → nop path ("where the time goes" in BENCHMARKS.md).
# usage: benchmarks/profile.sh [SECONDS] [jit|aot]   (after benchmarks/run.sh has built $OUT/jit or $OUT/aot and
#        $OUT/traces.grpc; the AOT binary is named through its pipeline.dbg, found by perf via .gnu_debuglink)
# The JIT build runs pinned to core 0 with DOTNET_PerfMapEnabled=1 (so perf can name JIT-compiled methods from
# /tmp/perf-PID.map; W^X off, else JIT code shows as memfd:doublemapper); h2load saturates it from core 1 while `perf record -e cpu-clock -g` samples the process
# (hardware counters are not available in this VM: `perf stat -e instructions` says <not supported>).
# Prints the top self-time symbols and the top modules; perf.data stays in $OUT.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/pipeline-bench}
secs=${1:-15}
variant=${2:-jit}
[ -x "$OUT/$variant/pipeline" ] && [ -f "$OUT/traces.grpc" ] || { echo "run benchmarks/run.sh $variant first" >&2; exit 2; }
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 0 "$OUT/$variant/pipeline" --config "$repo/benchmarks/configs/otlp-batch-nop.yaml" \
  >"$OUT/profile-collector.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until (exec 3<>/dev/tcp/127.0.0.1/4317) 2>/dev/null; do kill -0 $pid; sleep 0.05; done
path=/opentelemetry.proto.collector.trace.v1.TraceService/Export
load() { taskset -c 1 h2load -n "$1" -c 2 -m 16 -w 24 -W 30 -d "$OUT/traces.grpc" -H 'content-type: application/grpc' \
  -H 'te: trailers' "http://127.0.0.1:4317$path" >/dev/null 2>&1; }
load 5000 # warm-up: tiered JIT reaches its final code before sampling
load 1000000 & lp=$!
perf record -e cpu-clock -F 999 -g -p $pid -o "$OUT/perf.data" -- sleep "$secs" 2>"$OUT/perf-record.log"
kill $lp 2>/dev/null || true; wait $lp 2>/dev/null || true
echo "## top self time (symbols, % of the collector's samples)"
perf report -i "$OUT/perf.data" --no-children -g none --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -40
echo "## by module"
perf report -i "$OUT/perf.data" --no-children -g none --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -15
