using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Receivers.Ebpf.Tracking;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Tracking;

public class MonotonicClockTests
{
    [Fact]
    public void CreateConverter_MapsMonotonicNowToWallClockNow()
    {
        var wall = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var time = new FakeTimeProvider(wall);

        var convert = MonotonicClock.CreateConverter(time);
        ulong monotonicNow = (ulong)MonotonicClock.Nanoseconds(Stopwatch.GetTimestamp());
        long unix = convert(monotonicNow);

        long expected = (wall - DateTimeOffset.UnixEpoch).Ticks * 100;
        Assert.InRange(unix, expected, expected + 60_000_000_000L); // same wall second, allowing a slow machine
        Assert.Equal(unix + 1_000_000_000, convert(monotonicNow + 1_000_000_000));
    }
}
