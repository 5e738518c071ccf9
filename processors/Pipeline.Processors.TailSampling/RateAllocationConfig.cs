using Pipeline.Abstractions.Configuration;

namespace Pipeline.Processors.TailSampling;

/// <summary>One <c>composite.rate_allocation</c> entry: the share of <c>max_total_spans_per_second</c> a sub-policy may
/// sample.</summary>
public sealed class RateAllocationConfig
{
    /// <summary>Name of a <c>composite_sub_policy</c>. Required.</summary>
    public string Policy { get; set; } = string.Empty;

    /// <summary>Percentage of <c>max_total_spans_per_second</c>, 0 to 100. Default 0.</summary>
    public long Percent { get; set; }

    /// <summary>Reads <c>policy</c> and <c>percent</c>.</summary>
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Policy = section.GetString("policy", Policy);
        Percent = section.GetInt64("percent", Percent);
        section.Finish();
    }
}
