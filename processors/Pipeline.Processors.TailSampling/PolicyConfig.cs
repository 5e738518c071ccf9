using Pipeline.Abstractions.Configuration;

namespace Pipeline.Processors.TailSampling;

/// <summary>
/// One sampling policy: <c>{name, type, &lt;type&gt;: {...}}</c>. Every type's settings live here flat; only the section
/// named by <see cref="Type"/> is used. Which type sections a level accepts follows otelcol: top-level policies take all,
/// <c>composite_sub_policy</c> entries take all but <c>composite</c> and <c>drop</c>, <c>and_sub_policy</c> and
/// <c>drop_sub_policy</c> entries take only leaf types (anything else is an invalid key).
/// </summary>
public sealed class PolicyConfig
{
    /// <summary>Where a policy sits, which decides which nested sections it may have.</summary>
    internal enum Level
    {
        /// <summary>Under <c>policies</c>.</summary>
        Top,

        /// <summary>Under <c>composite.composite_sub_policy</c>.</summary>
        CompositeSub,

        /// <summary>Under <c>and.and_sub_policy</c> or <c>drop.drop_sub_policy</c>.</summary>
        Leaf,
    }

    /// <summary>Name used in metrics and logs; required and unique among top-level policies.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The policy type (<c>always_sample</c>, <c>latency</c>, ...). Required.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary><c>latency.threshold_ms</c>: lower bound of the trace duration. Default 0.</summary>
    public long LatencyThresholdMs { get; set; }

    /// <summary><c>latency.upper_threshold_ms</c>: upper bound (inclusive); 0 means none. Default 0.</summary>
    public long LatencyUpperThresholdMs { get; set; }

    /// <summary><c>status_code.status_codes</c>: <c>OK</c>, <c>ERROR</c>, <c>UNSET</c>. Required for the type.</summary>
    public List<string> StatusCodes { get; set; } = [];

    /// <summary><c>string_attribute.key</c>.</summary>
    public string StringKey { get; set; } = string.Empty;

    /// <summary><c>string_attribute.values</c>: exact values, or patterns when regex matching is on.</summary>
    public List<string> StringValues { get; set; } = [];

    /// <summary><c>string_attribute.enabled_regex_matching</c>. Default false.</summary>
    public bool StringRegex { get; set; }

    /// <summary><c>string_attribute.cache_max_size</c>: regex results remembered per value. Default 0 (no cache).</summary>
    public int StringCacheMaxSize { get; set; }

    /// <summary><c>string_attribute.invert_match</c>. Default false.</summary>
    public bool StringInvert { get; set; }

    /// <summary><c>numeric_attribute.key</c>.</summary>
    public string NumericKey { get; set; } = string.Empty;

    /// <summary><c>numeric_attribute.min_value</c>; unset means no lower bound.</summary>
    public long? NumericMin { get; set; }

    /// <summary><c>numeric_attribute.max_value</c>; unset means no upper bound.</summary>
    public long? NumericMax { get; set; }

    /// <summary><c>numeric_attribute.invert_match</c>. Default false.</summary>
    public bool NumericInvert { get; set; }

    /// <summary><c>boolean_attribute.key</c>.</summary>
    public string BooleanKey { get; set; } = string.Empty;

    /// <summary><c>boolean_attribute.value</c>. Default false.</summary>
    public bool BooleanValue { get; set; }

    /// <summary><c>boolean_attribute.invert_match</c>. Default false.</summary>
    public bool BooleanInvert { get; set; }

    /// <summary><c>probabilistic.sampling_percentage</c>. Default 0 (none); 100 or more keeps all.</summary>
    public double SamplingPercentage { get; set; }

    /// <summary><c>probabilistic.hash_salt</c>. Default empty, which means otelcol's <c>default-hash-seed</c>.</summary>
    public string HashSalt { get; set; } = string.Empty;

    /// <summary><c>rate_limiting.spans_per_second</c>. Default 0.</summary>
    public long SpansPerSecond { get; set; }

    /// <summary><c>span_count.min_spans</c>. Default 0.</summary>
    public int MinSpans { get; set; }

    /// <summary><c>span_count.max_spans</c>; 0 means no upper bound. Default 0.</summary>
    public int MaxSpans { get; set; }

    /// <summary><c>trace_state.key</c>.</summary>
    public string TraceStateKey { get; set; } = string.Empty;

    /// <summary><c>trace_state.values</c>.</summary>
    public List<string> TraceStateValues { get; set; } = [];

    /// <summary><c>ottl_condition.error_mode</c>: <c>propagate</c>, <c>ignore</c> or <c>silent</c>. Default
    /// <c>propagate</c>.</summary>
    public string OttlErrorMode { get; set; } = "propagate";

    /// <summary><c>ottl_condition.span</c>: conditions on spans (span context).</summary>
    public List<string> OttlSpan { get; set; } = [];

    /// <summary><c>ottl_condition.spanevent</c>: conditions on span events (spanevent context).</summary>
    public List<string> OttlSpanEvent { get; set; } = [];

    /// <summary><c>and.and_sub_policy</c>.</summary>
    public List<PolicyConfig> AndSubPolicies { get; set; } = [];

    /// <summary><c>drop.drop_sub_policy</c>.</summary>
    public List<PolicyConfig> DropSubPolicies { get; set; } = [];

    /// <summary><c>composite.max_total_spans_per_second</c>. Default 0.</summary>
    public long MaxTotalSpansPerSecond { get; set; }

    /// <summary><c>composite.policy_order</c>: sub-policy names in evaluation order.</summary>
    public List<string> PolicyOrder { get; set; } = [];

    /// <summary><c>composite.composite_sub_policy</c>.</summary>
    public List<PolicyConfig> CompositeSubPolicies { get; set; } = [];

    /// <summary><c>composite.rate_allocation</c>.</summary>
    public List<RateAllocationConfig> RateAllocation { get; set; } = [];

    /// <summary>Reads a policy at <paramref name="level"/>.</summary>
    internal void Bind(ConfigSection section, Level level)
    {
        Name = section.GetString("name", Name);
        Type = section.GetString("type", Type);

        BindType(section, "latency", static (p, s) =>
        {
            p.LatencyThresholdMs = s.GetInt64("threshold_ms", p.LatencyThresholdMs);
            p.LatencyUpperThresholdMs = s.GetInt64("upper_threshold_ms", p.LatencyUpperThresholdMs);
        });
        BindType(section, "status_code", static (p, s) => p.StatusCodes = s.GetStringList("status_codes", p.StatusCodes));
        BindType(section, "string_attribute", static (p, s) =>
        {
            p.StringKey = s.GetString("key", p.StringKey);
            p.StringValues = s.GetStringList("values", p.StringValues);
            p.StringRegex = s.GetBool("enabled_regex_matching", p.StringRegex);
            p.StringCacheMaxSize = s.GetInt32("cache_max_size", p.StringCacheMaxSize, 0);
            p.StringInvert = s.GetBool("invert_match", p.StringInvert);
        });
        BindType(section, "numeric_attribute", static (p, s) =>
        {
            p.NumericKey = s.GetString("key", p.NumericKey);
            if (s.Has("min_value"))
            {
                p.NumericMin = s.GetInt64("min_value", p.NumericMin ?? 0);
            }

            if (s.Has("max_value"))
            {
                p.NumericMax = s.GetInt64("max_value", p.NumericMax ?? 0);
            }

            p.NumericInvert = s.GetBool("invert_match", p.NumericInvert);
        });
        BindType(section, "boolean_attribute", static (p, s) =>
        {
            p.BooleanKey = s.GetString("key", p.BooleanKey);
            p.BooleanValue = s.GetBool("value", p.BooleanValue);
            p.BooleanInvert = s.GetBool("invert_match", p.BooleanInvert);
        });
        BindType(section, "probabilistic", static (p, s) =>
        {
            p.SamplingPercentage = s.GetDouble("sampling_percentage", p.SamplingPercentage);
            p.HashSalt = s.GetString("hash_salt", p.HashSalt);
        });
        BindType(section, "rate_limiting", static (p, s) => p.SpansPerSecond = s.GetInt64("spans_per_second", p.SpansPerSecond));
        BindType(section, "span_count", static (p, s) =>
        {
            p.MinSpans = s.GetInt32("min_spans", p.MinSpans);
            p.MaxSpans = s.GetInt32("max_spans", p.MaxSpans);
        });
        BindType(section, "trace_state", static (p, s) =>
        {
            p.TraceStateKey = s.GetString("key", p.TraceStateKey);
            p.TraceStateValues = s.GetStringList("values", p.TraceStateValues);
        });
        BindType(section, "ottl_condition", static (p, s) =>
        {
            p.OttlErrorMode = s.GetString("error_mode", p.OttlErrorMode);
            p.OttlSpan = s.GetStringList("span", p.OttlSpan);
            p.OttlSpanEvent = s.GetStringList("spanevent", p.OttlSpanEvent);
        });

        // A level that may not have a nested section leaves it unread, so Finish reports it as an invalid key.
        if (level != Level.Leaf)
        {
            BindType(section, "and", static (p, s) => p.AndSubPolicies = BindEach(s, "and_sub_policy", p.AndSubPolicies, static item => Create(item, Level.Leaf)));
        }

        if (level == Level.Top)
        {
            BindType(section, "drop", static (p, s) => p.DropSubPolicies = BindEach(s, "drop_sub_policy", p.DropSubPolicies, static item => Create(item, Level.Leaf)));
            BindType(section, "composite", static (p, s) =>
            {
                p.MaxTotalSpansPerSecond = s.GetInt64("max_total_spans_per_second", p.MaxTotalSpansPerSecond);
                p.PolicyOrder = s.GetStringList("policy_order", p.PolicyOrder);
                p.CompositeSubPolicies = BindEach(s, "composite_sub_policy", p.CompositeSubPolicies, static item => Create(item, Level.CompositeSub));
                p.RateAllocation = BindEach(s, "rate_allocation", p.RateAllocation, static item =>
                {
                    var allocation = new RateAllocationConfig();
                    allocation.Bind(item);
                    return allocation;
                });
            });
        }

        section.Finish();
    }

    private static PolicyConfig Create(ConfigSection section, Level level)
    {
        var policy = new PolicyConfig();
        policy.Bind(section, level);
        return policy;
    }

    /// <summary>The one path for a policy type's section: when <paramref name="key"/> is there, <paramref name="bind"/>
    /// reads its keys and <see cref="ConfigSection.Finish"/> reports the rest as invalid.</summary>
    private void BindType(ConfigSection parent, string key, Action<PolicyConfig, ConfigSection> bind)
    {
        if (parent.GetSection(key) is { } section)
        {
            bind(this, section);
            section.Finish();
        }
    }

    /// <summary>The one path for a list of sections: each entry bound by <paramref name="bind"/>, or
    /// <paramref name="current"/> when the key is absent.</summary>
    private static List<T> BindEach<T>(ConfigSection parent, string key, List<T> current, Func<ConfigSection, T> bind)
    {
        if (parent.GetSectionList(key) is not { } items)
        {
            return current;
        }

        var result = new List<T>(items.Count);
        foreach (var item in items)
        {
            result.Add(bind(item));
        }

        return result;
    }
}
