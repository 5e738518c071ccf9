using Pipeline.Abstractions.Configuration;

namespace Pipeline.Processors.MemoryLimiter;

/// <summary>Config of the <c>memory_limiter</c> processor (otelcol's processor/memorylimiterprocessor keys and rules).</summary>
public sealed class MemoryLimiterConfig : IComponentConfig
{
    /// <summary><c>check_interval</c>: how often memory is measured. No default: must be greater than zero (1s recommended).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.Zero;

    /// <summary><c>limit_mib</c>: the hard limit in MiB of managed heap. Either this or <c>limit_percentage</c> is required.</summary>
    public long LimitMib { get; set; }

    /// <summary><c>spike_limit_mib</c>: headroom below the hard limit; soft limit = limit − spike. Default 20% of limit_mib.</summary>
    public long SpikeLimitMib { get; set; }

    /// <summary><c>limit_percentage</c>: hard limit as a percentage of the memory available (cgroup limit, else RAM).</summary>
    public long LimitPercentage { get; set; }

    /// <summary><c>spike_limit_percentage</c>: spike as a percentage of available memory. Default 20% of limit_percentage.</summary>
    public long SpikeLimitPercentage { get; set; }

    /// <summary><c>min_gc_interval_when_soft_limited</c>: minimum time between forced GCs above the soft limit (10s).</summary>
    public TimeSpan MinGcIntervalWhenSoftLimited { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>min_gc_interval_when_hard_limited</c>: minimum time between forced GCs above the hard limit (0).</summary>
    public TimeSpan MinGcIntervalWhenHardLimited { get; set; } = TimeSpan.Zero;

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        CheckInterval = section.GetDuration("check_interval", CheckInterval, allowNegative: true);
        LimitMib = section.GetInt64("limit_mib", LimitMib, min: 0);
        SpikeLimitMib = section.GetInt64("spike_limit_mib", SpikeLimitMib, min: 0);
        LimitPercentage = section.GetInt64("limit_percentage", LimitPercentage, min: 0);
        SpikeLimitPercentage = section.GetInt64("spike_limit_percentage", SpikeLimitPercentage, min: 0);
        MinGcIntervalWhenSoftLimited = section.GetDuration("min_gc_interval_when_soft_limited", MinGcIntervalWhenSoftLimited);
        MinGcIntervalWhenHardLimited = section.GetDuration("min_gc_interval_when_hard_limited", MinGcIntervalWhenHardLimited);

        // Accepted for otelcol compatibility: GC back-off caps that .NET's GC makes moot.
        section.GetDuration("max_gc_interval_when_soft_limited", TimeSpan.FromSeconds(30));
        section.GetDuration("max_gc_interval_when_hard_limited", TimeSpan.FromSeconds(30));
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (CheckInterval <= TimeSpan.Zero)
        {
            errors.Add("check_interval", "'check_interval' must be greater than zero.");
        }

        if (LimitMib == 0 && LimitPercentage == 0)
        {
            errors.Add(string.Empty, "'limit_mib' or 'limit_percentage' must be greater than zero.");
        }

        if (LimitMib > 0 && SpikeLimitMib >= LimitMib)
        {
            errors.Add("spike_limit_mib", $"'spike_limit_mib' ({SpikeLimitMib}) must be smaller than 'limit_mib' ({LimitMib}).");
        }

        if (LimitPercentage > 100 || SpikeLimitPercentage > 100)
        {
            errors.Add("limit_percentage", "'limit_percentage' and 'spike_limit_percentage' must be between 0 and 100.");
        }
        else if (LimitMib == 0 && LimitPercentage > 0 && SpikeLimitPercentage >= LimitPercentage)
        {
            errors.Add("spike_limit_percentage", $"'spike_limit_percentage' ({SpikeLimitPercentage}) must be smaller than 'limit_percentage' ({LimitPercentage}).");
        }
    }

    /// <summary>The hard and soft limits in bytes, given the memory available to the process.</summary>
    public (long Hard, long Soft) LimitsInBytes(long availableBytes)
    {
        const long mib = 1024 * 1024;
        if (LimitMib > 0)
        {
            long spike = SpikeLimitMib > 0 ? SpikeLimitMib : LimitMib / 5;
            return (LimitMib * mib, (LimitMib - spike) * mib);
        }

        long hard = availableBytes / 100 * LimitPercentage;
        long spikePct = SpikeLimitPercentage > 0 ? SpikeLimitPercentage : LimitPercentage / 5;
        return (hard, hard - (availableBytes / 100 * spikePct));
    }
}
