using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Processors.MemoryLimiter;

/// <summary>
/// The measuring half of the processor, shared by every pipeline that uses the same <c>memory_limiter</c> ID (as in
/// otelcol): a timer measures the managed heap every <c>check_interval</c>; above the soft limit data is refused,
/// above the hard limit a GC is forced (no more often than the configured minimum intervals).
/// </summary>
internal sealed partial class MemoryLimiter : IDisposable
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<long> _measure;
    private readonly Action _collect;
    private readonly MemoryLimiterConfig _config;
    private readonly long _hard;
    private readonly long _soft;
    private ITimer? _timer;
    private volatile bool _refusing;
    private long _lastGcTicks = long.MinValue;
    private int _users;

    public MemoryLimiter(MemoryLimiterConfig config, ILogger logger, TimeProvider time, long availableBytes, Func<long>? measure = null, Action? collect = null)
    {
        _config = config;
        _logger = logger;
        _time = time;
        _measure = measure ?? (static () => GC.GetTotalMemory(false));
        _collect = collect ?? (static () => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true));
        (_hard, _soft) = config.LimitsInBytes(availableBytes);
    }

    /// <summary>True while memory is above the soft limit.</summary>
    public bool Refusing => _refusing;

    public long HardLimitBytes => _hard;

    public long SoftLimitBytes => _soft;

    /// <summary>Starts measuring (first user) — counted, so the last user's Stop stops it.</summary>
    public void Start()
    {
        if (Interlocked.Increment(ref _users) == 1)
        {
            Log.Started(_logger, _hard / (1024 * 1024), _soft / (1024 * 1024), _config.CheckInterval);
            Check();
            _timer = _time.CreateTimer(static s => ((MemoryLimiter)s!).Check(), this, _config.CheckInterval, _config.CheckInterval);
        }
    }

    public void Stop()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>One measurement: decide whether to refuse and whether to force a GC.</summary>
    internal void Check()
    {
        long used = _measure();
        if (used >= _soft)
        {
            var minInterval = used >= _hard ? _config.MinGcIntervalWhenHardLimited : _config.MinGcIntervalWhenSoftLimited;
            long now = _time.GetTimestamp();
            if (_lastGcTicks == long.MinValue || _time.GetElapsedTime(_lastGcTicks, now) >= minInterval)
            {
                _collect();
                _lastGcTicks = now;
                long after = _measure();
                Log.ForcedGc(_logger, used / (1024 * 1024), after / (1024 * 1024));
                used = after;
            }
        }

        bool refuse = used >= _soft;
        if (refuse != _refusing)
        {
            _refusing = refuse;
            if (refuse)
            {
                Log.AboveSoftLimit(_logger, used / (1024 * 1024), _soft / (1024 * 1024));
            }
            else
            {
                Log.BelowSoftLimit(_logger, used / (1024 * 1024), _soft / (1024 * 1024));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Memory limiter started: hard limit {HardMib} MiB, soft limit {SoftMib} MiB, checked every {Interval}.")]
        public static partial void Started(ILogger logger, long hardMib, long softMib, TimeSpan interval);

        [LoggerMessage(2, LogLevel.Warning, "Memory usage {UsedMib} MiB is above the soft limit {SoftMib} MiB: refusing data until it drops.")]
        public static partial void AboveSoftLimit(ILogger logger, long usedMib, long softMib);

        [LoggerMessage(3, LogLevel.Information, "Memory usage {UsedMib} MiB is back below the soft limit {SoftMib} MiB: accepting data.")]
        public static partial void BelowSoftLimit(ILogger logger, long usedMib, long softMib);

        [LoggerMessage(4, LogLevel.Information, "Forced a garbage collection: {BeforeMib} MiB before, {AfterMib} MiB after.")]
        public static partial void ForcedGc(ILogger logger, long beforeMib, long afterMib);
    }
}
