using System.Diagnostics;

namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>Converts the kernel's CLOCK_MONOTONIC to Unix time.</summary>
public static class MonotonicClock
{
    /// <summary>A converter from an offset measured now. On Linux <see cref="Stopwatch"/> reads CLOCK_MONOTONIC, so
    /// the offset is wall clock minus monotonic clock; the receiver may build a new converter periodically.</summary>
    public static Func<ulong, long> CreateConverter(TimeProvider time)
    {
        long mono = (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
        long unix = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        long offset = unix - mono;
        return ns => (long)ns + offset;
    }
}
