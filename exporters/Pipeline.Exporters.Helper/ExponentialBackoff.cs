namespace Pipeline.Exporters.Helper;

/// <summary>
/// The backoff sequence of one request: interval × [1 − f, 1 + f] at random, the interval growing by the multiplier
/// up to <c>max_interval</c> (the same algorithm as cenkalti/backoff, which otelcol uses).
/// </summary>
internal struct ExponentialBackoff
{
    private readonly RetryConfig _config;
    private TimeSpan _current;

    public ExponentialBackoff(RetryConfig config)
    {
        _config = config;
        _current = config.InitialInterval;
    }

    /// <summary>The next wait; <paramref name="random"/> is in [0, 1).</summary>
    public TimeSpan Next(double random)
    {
        double current = _current.Ticks;
        double delta = _config.RandomizationFactor * current;
        double min = current - delta;
        double max = current + delta;
        long ticks = (long)(min + (random * (max - min + 1)));

        double grown = current * _config.Multiplier;
        _current = grown >= _config.MaxInterval.Ticks ? _config.MaxInterval : TimeSpan.FromTicks((long)grown);
        return TimeSpan.FromTicks(Math.Max(ticks, 0));
    }
}
