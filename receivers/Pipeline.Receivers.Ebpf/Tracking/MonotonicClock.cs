using System.Diagnostics;

namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>Converts the kernel's CLOCK_MONOTONIC to Unix time.</summary>
public static class MonotonicClock
{
    private const int Attempts = 3;

    /// <summary>A converter from an offset measured now. On Linux <see cref="Stopwatch"/> reads CLOCK_MONOTONIC, so
    /// the offset is wall clock minus monotonic clock; the receiver may build a new converter periodically. The wall
    /// clock is read between two monotonic readings and compared with their midpoint; of a few such readings the one
    /// with the narrowest bracket is kept, so a preemption in the middle of one does not shift every span.</summary>
    public static Func<ulong, long> CreateConverter(TimeProvider time)
    {
        long offset = 0;
        long narrowest = long.MaxValue;
        for (int i = 0; i < Attempts; i++)
        {
            long before = Nanoseconds(Stopwatch.GetTimestamp());
            long unix = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
            long after = Nanoseconds(Stopwatch.GetTimestamp());
            if (after - before < narrowest)
            {
                narrowest = after - before;
                offset = unix - (before + ((after - before) / 2));
            }
        }

        return ns => (long)ns + offset;
    }

    /// <summary>A <see cref="Stopwatch"/> timestamp in nanoseconds: on Linux, CLOCK_MONOTONIC as the kernel's
    /// <c>bpf_ktime_get_ns</c> reads it.</summary>
    public static long Nanoseconds(long stopwatchTimestamp) => (long)(stopwatchTimestamp * (1_000_000_000.0 / Stopwatch.Frequency));
}
