using System.Runtime.InteropServices;

namespace Pipeline.Bench.HttpRate;

/// <summary>CLOCK_MONOTONIC and absolute sleeps with microsecond precision (Thread.Sleep and timers are
/// millisecond-grained, which would dominate a 100 µs latency budget).</summary>
internal static partial class Native
{
    private const int ClockMonotonic = 1;
    private const int TimerAbstime = 1;
    private const int PrSetTimerslack = 29;

    public static long MonotonicNs()
    {
        ClockGetTime(ClockMonotonic, out var ts);
        return ts.Seconds * 1_000_000_000 + ts.Nanoseconds;
    }

    public static void SleepUntil(long ns)
    {
        var ts = new TimeSpec { Seconds = ns / 1_000_000_000, Nanoseconds = ns % 1_000_000_000 };
        while (ClockNanosleep(ClockMonotonic, TimerAbstime, in ts, IntPtr.Zero) == 4)
        {
            // EINTR: sleep again until the same absolute time
        }
    }

    /// <summary>The kernel's default 50 µs timer slack would delay every wake-up; ask for 1 ns.</summary>
    public static void SetTimerSlack() => Prctl(PrSetTimerslack, 1, 0, 0, 0);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec ts);

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in TimeSpec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
