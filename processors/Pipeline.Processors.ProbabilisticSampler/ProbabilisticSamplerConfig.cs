using System.Globalization;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Processors.ProbabilisticSampler;

/// <summary>The <c>probabilistic_sampler</c> processor's config (otelcol-contrib
/// <c>processor/probabilisticsamplerprocessor/config.go</c>).</summary>
public sealed class ProbabilisticSamplerConfig : IComponentConfig
{
    /// <summary>Percentage of items kept. Default 0 (drop all); 100 or more keeps all. A float32, as in otelcol.</summary>
    public float SamplingPercentage { get; set; }

    /// <summary>Seed of the FNV hash. Default 0. Every collector of one tier must use the same seed.</summary>
    public uint HashSeed { get; set; }

    /// <summary><c>hash_seed</c> (the default when unset), <c>proportional</c> or <c>equalizing</c> (OTEP 235 consistent
    /// sampling on the trace ID's low 56 bits or an arriving <c>rv</c>).</summary>
    public string Mode { get; set; } = string.Empty;

    /// <summary>Drop items whose randomness is missing or whose sampling state cannot be used. Default true.</summary>
    public bool FailClosed { get; set; } = true;

    /// <summary>Hex digits of thresholds derived from log priorities, 1 to 14. Default 4.</summary>
    public int SamplingPrecision { get; set; } = 4;

    /// <summary>Logs: where randomness comes from, <c>traceID</c> (default) or <c>record</c>.</summary>
    public string AttributeSource { get; set; } = "traceID";

    /// <summary>Logs: the record attribute hashed when <see cref="AttributeSource"/> is <c>record</c>. Default none.</summary>
    public string FromAttribute { get; set; } = string.Empty;

    /// <summary>Logs: a record attribute holding a percentage that raises that record's sampling probability. Default none.</summary>
    public string SamplingPriority { get; set; } = string.Empty;

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        SamplingPercentage = (float)section.GetDouble("sampling_percentage", SamplingPercentage);
        HashSeed = (uint)section.GetInt64("hash_seed", HashSeed, 0, uint.MaxValue);
        Mode = section.GetString("mode", Mode);
        FailClosed = section.GetBool("fail_closed", FailClosed);
        SamplingPrecision = section.GetInt32("sampling_precision", SamplingPrecision);
        AttributeSource = section.GetString("attribute_source", AttributeSource);
        FromAttribute = section.GetString("from_attribute", FromAttribute);
        SamplingPriority = section.GetString("sampling_priority", SamplingPriority);
        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        double pct = SamplingPercentage;
        if (double.IsNaN(pct) || double.IsInfinity(pct))
        {
            errors.Add(string.Empty, string.Create(CultureInfo.InvariantCulture, $"sampling rate is invalid: {SamplingPercentage:F6}%."));
        }
        else if (pct < 0)
        {
            errors.Add(string.Empty, string.Create(CultureInfo.InvariantCulture, $"sampling rate is negative: {SamplingPercentage:F6}%."));
        }
        else if (pct > 0 && pct / 100.0 < 1.0 / HashSeedSampling.NeverSampleThreshold)
        {
            errors.Add(string.Empty, $"sampling rate is too small: {FormatG(SamplingPercentage)}%.");
        }

        if (AttributeSource is not ("traceID" or "record"))
        {
            errors.Add(string.Empty, $"invalid attribute source: {AttributeSource}. Expected: traceID or record.");
        }

        if (SamplingPrecision == 0)
        {
            errors.Add(string.Empty, "invalid sampling precision: 0.");
        }
        else if (SamplingPrecision > 14)
        {
            errors.Add(string.Empty, string.Create(CultureInfo.InvariantCulture, $"sampling precision is too great, should be <= 14: {SamplingPrecision}."));
        }
        else if (SamplingPrecision < 0)
        {
            errors.Add(string.Empty, string.Create(CultureInfo.InvariantCulture, $"sampling precision must be between 1 and 14, got {SamplingPrecision}."));
        }

        switch (Mode)
        {
            case "":
            case "hash_seed":
            case "proportional":
            case "equalizing":
                break;
            default:
                errors.Add("mode", $"unsupported sampler mode \"{Mode}\".");
                break;
        }
    }

    // Go's %g for a float32: shortest digits, exponent with at least two digits.
    private static string FormatG(float value) =>
        value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
}
