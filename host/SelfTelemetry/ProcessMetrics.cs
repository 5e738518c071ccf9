using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pipeline.Host.SelfTelemetry;

/// <summary>
/// otelcol's process metrics on the collector's meter: <c>otelcol_process_uptime</c>,
/// <c>otelcol_process_cpu_seconds</c>, <c>otelcol_process_memory_rss</c>, and the runtime heap figures mapped to .NET's
/// GC (<c>otelcol_process_runtime_heap_alloc_bytes</c>, <c>..._total_alloc_bytes</c>, <c>..._total_sys_memory_bytes</c>).
/// </summary>
internal static class ProcessMetrics
{
    public static void Register(Meter meter)
    {
        var started = Stopwatch.StartNew();
        meter.CreateObservableCounter("otelcol_process_uptime", () => started.Elapsed.TotalSeconds, "s", "Uptime of the process.");
        meter.CreateObservableCounter("otelcol_process_cpu_seconds", () => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, "s", "Total CPU user and system time in seconds.");
        meter.CreateObservableGauge("otelcol_process_memory_rss", () => Environment.WorkingSet, "By", "Total physical memory (resident set size).");
        meter.CreateObservableGauge("otelcol_process_runtime_heap_alloc_bytes", () => GC.GetTotalMemory(false), "By", "Bytes of allocated heap objects (GC heap in use).");
        meter.CreateObservableCounter("otelcol_process_runtime_total_alloc_bytes", () => GC.GetTotalAllocatedBytes(false), "By", "Cumulative bytes allocated for heap objects.");
        meter.CreateObservableGauge("otelcol_process_runtime_total_sys_memory_bytes", () => GC.GetGCMemoryInfo().TotalCommittedBytes, "By", "Total bytes of memory obtained from the OS by the GC.");
    }
}
