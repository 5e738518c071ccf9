using System.Runtime.InteropServices;

namespace Pipeline.Host.Service;

/// <summary>
/// Process-wide setting of the C allocator, applied once at start-up: allocations of 128 KiB and more get their own
/// mapping, returned to the system when freed (glibc's <c>M_MMAP_THRESHOLD</c>, fixed at its default).
/// </summary>
/// <remarks>
/// glibc raises that threshold on its own after the first large block is freed, and from then on serves such blocks
/// from its per-thread arenas, which keep the memory after <c>free</c>. Each gzip or zstd stream's compressor state
/// (zlib-ng's window and hash tables, ~300 KiB, allocated and freed per request) then stayed resident in up to one
/// arena per thread-pool thread: 11 MB of the otlp exporter's 16 MB native memory with <c>compression: gzip</c> at
/// 200,000 spans/s (BENCHMARKS.md, "Run 6: exporter-path memory"). A fixed threshold maps and unmaps those blocks per
/// request instead (~25 times a second per exporter at that rate). An operator's own <c>MALLOC_MMAP_THRESHOLD_</c>
/// wins; other C libraries (musl) are left alone.
/// </remarks>
internal static partial class NativeAllocator
{
    /// <summary>glibc's <c>M_MMAP_THRESHOLD</c> parameter of <c>mallopt</c>.</summary>
    private const int MmapThresholdParameter = -3;

    /// <summary>glibc's default threshold; setting it explicitly turns off the dynamic raise.</summary>
    private const int MmapThreshold = 128 * 1024;

    /// <summary>Applies the setting; returns false when it was not applied (not glibc, or the operator chose).</summary>
    public static bool Configure()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null)
        {
            return false;
        }

        try
        {
            return Mallopt(MmapThresholdParameter, MmapThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
