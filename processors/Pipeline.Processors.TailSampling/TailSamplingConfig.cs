using System.Globalization;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Processors.TailSampling;

/// <summary>The <c>tail_sampling</c> processor's config (otelcol-contrib <c>processor/tailsamplingprocessor/config.go</c>).</summary>
public sealed class TailSamplingConfig : IComponentConfig
{
    /// <summary>Time from a trace's first span until it is decided. Default 30s.</summary>
    public TimeSpan DecisionWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Traces held in memory; when full the oldest is evicted (undecided ones are lost and counted). Default 50000.</summary>
    public long NumTraces { get; set; } = 50000;

    /// <summary>Sizing hint for the trace table. Default 0.</summary>
    public long ExpectedNewTracesPerSec { get; set; }

    /// <summary><c>decision_cache.sampled_cache_size</c>: decided-sampled trace IDs remembered. Default 0.</summary>
    public int SampledCacheSize { get; set; }

    /// <summary><c>decision_cache.non_sampled_cache_size</c>: decided-not-sampled trace IDs remembered. Default 0.</summary>
    public int NonSampledCacheSize { get; set; }

    /// <summary>Stop evaluating policies at the first one that samples. Default false.</summary>
    public bool SampleOnFirstMatch { get; set; }

    /// <summary>On shutdown, drop traces not yet decided instead of deciding and sending them. Default false.</summary>
    public bool DropPendingTracesOnShutdown { get; set; }

    /// <summary>The policies, evaluated in order. Required.</summary>
    public List<PolicyConfig> Policies { get; set; } = [];

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        DecisionWait = section.GetDuration("decision_wait", DecisionWait);
        NumTraces = section.GetInt64("num_traces", NumTraces);
        ExpectedNewTracesPerSec = section.GetInt64("expected_new_traces_per_sec", ExpectedNewTracesPerSec, 0);
        if (section.GetSection("decision_cache") is { } cache)
        {
            SampledCacheSize = cache.GetInt32("sampled_cache_size", SampledCacheSize, 0);
            NonSampledCacheSize = cache.GetInt32("non_sampled_cache_size", NonSampledCacheSize, 0);
            cache.Finish();
        }

        SampleOnFirstMatch = section.GetBool("sample_on_first_match", SampleOnFirstMatch);
        DropPendingTracesOnShutdown = section.GetBool("drop_pending_traces_on_shutdown", DropPendingTracesOnShutdown);
        if (section.GetSectionList("policies") is { } policies)
        {
            Policies = [];
            foreach (var p in policies)
            {
                var policy = new PolicyConfig();
                policy.Bind(p, PolicyConfig.Level.Top);
                Policies.Add(policy);
            }
        }

        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (DecisionWait <= TimeSpan.Zero)
        {
            errors.Add("decision_wait", $"must be greater than 0 (got {GoDuration.Format(DecisionWait)}).");
        }

        if (NumTraces <= 0)
        {
            errors.Add("num_traces", string.Create(CultureInfo.InvariantCulture, $"must be greater than 0 (got {NumTraces})."));
        }

        if (Policies.Count == 0)
        {
            errors.Add("policies", "no sampling policies are configured; at least one is required.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Policies.Count; i++)
        {
            var p = Policies[i];
            string at = "policies::" + i.ToString(CultureInfo.InvariantCulture);
            if (p.Name.Length == 0)
            {
                errors.Add(at, "policy name cannot be empty.");
                continue;
            }

            if (!names.Add(p.Name))
            {
                errors.Add(at, $"duplicate policy name \"{p.Name}\".");
                continue;
            }

            if (PolicyBuilder.Check(p, PolicyConfig.Level.Top) is { } problem)
            {
                errors.Add(at, $"failed to create policy evaluator for \"{p.Name}\": {problem}.");
            }
        }
    }
}
