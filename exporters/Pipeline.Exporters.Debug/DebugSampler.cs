namespace Pipeline.Exporters.Debug;

/// <summary>
/// zap's sampler as the debug exporter uses it: in each one-second tick the first <c>initial</c> batches pass, then
/// every <c>thereafter</c>-th (none when it is 0).
/// </summary>
internal sealed class DebugSampler
{
    private readonly int _initial;
    private readonly int _thereafter;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _tick = long.MinValue;
    private long _count;

    /// <summary>Creates the sampler.</summary>
    public DebugSampler(int initial, int thereafter, TimeProvider time)
    {
        _initial = initial;
        _thereafter = thereafter;
        _time = time;
    }

    /// <summary>Whether this batch is printed.</summary>
    public bool Allow()
    {
        long tick = _time.GetUtcNow().ToUnixTimeSeconds();
        long n;
        lock (_gate)
        {
            if (tick != _tick)
            {
                _tick = tick;
                _count = 0;
            }

            n = ++_count;
        }

        if (n <= _initial)
        {
            return true;
        }

        return _thereafter > 0 && (n - _initial) % _thereafter == 0;
    }
}
