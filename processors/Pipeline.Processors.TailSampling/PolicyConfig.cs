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

        if (section.GetSection("latency") is { } latency)
        {
            LatencyThresholdMs = latency.GetInt64("threshold_ms", LatencyThresholdMs);
            LatencyUpperThresholdMs = latency.GetInt64("upper_threshold_ms", LatencyUpperThresholdMs);
            latency.Finish();
        }

        if (section.GetSection("status_code") is { } status)
        {
            StatusCodes = status.GetStringList("status_codes", StatusCodes);
            status.Finish();
        }

        if (section.GetSection("string_attribute") is { } str)
        {
            StringKey = str.GetString("key", StringKey);
            StringValues = str.GetStringList("values", StringValues);
            StringRegex = str.GetBool("enabled_regex_matching", StringRegex);
            StringCacheMaxSize = str.GetInt32("cache_max_size", StringCacheMaxSize, 0);
            StringInvert = str.GetBool("invert_match", StringInvert);
            str.Finish();
        }

        if (section.GetSection("numeric_attribute") is { } num)
        {
            NumericKey = num.GetString("key", NumericKey);
            if (num.Has("min_value"))
            {
                NumericMin = num.GetInt64("min_value", NumericMin ?? 0);
            }

            if (num.Has("max_value"))
            {
                NumericMax = num.GetInt64("max_value", NumericMax ?? 0);
            }

            NumericInvert = num.GetBool("invert_match", NumericInvert);
            num.Finish();
        }

        if (section.GetSection("boolean_attribute") is { } boolean)
        {
            BooleanKey = boolean.GetString("key", BooleanKey);
            BooleanValue = boolean.GetBool("value", BooleanValue);
            BooleanInvert = boolean.GetBool("invert_match", BooleanInvert);
            boolean.Finish();
        }

        if (section.GetSection("probabilistic") is { } prob)
        {
            SamplingPercentage = prob.GetDouble("sampling_percentage", SamplingPercentage);
            HashSalt = prob.GetString("hash_salt", HashSalt);
            prob.Finish();
        }

        if (section.GetSection("rate_limiting") is { } rate)
        {
            SpansPerSecond = rate.GetInt64("spans_per_second", SpansPerSecond);
            rate.Finish();
        }

        if (section.GetSection("span_count") is { } count)
        {
            MinSpans = count.GetInt32("min_spans", MinSpans);
            MaxSpans = count.GetInt32("max_spans", MaxSpans);
            count.Finish();
        }

        if (section.GetSection("trace_state") is { } ts)
        {
            TraceStateKey = ts.GetString("key", TraceStateKey);
            TraceStateValues = ts.GetStringList("values", TraceStateValues);
            ts.Finish();
        }

        if (section.GetSection("ottl_condition") is { } ottl)
        {
            OttlErrorMode = ottl.GetString("error_mode", OttlErrorMode);
            OttlSpan = ottl.GetStringList("span", OttlSpan);
            OttlSpanEvent = ottl.GetStringList("spanevent", OttlSpanEvent);
            ottl.Finish();
        }

        if (level != Level.Leaf && section.GetSection("and") is { } and)
        {
            AndSubPolicies = BindList(and, "and_sub_policy", Level.Leaf);
            and.Finish();
        }

        if (level == Level.Top && section.GetSection("drop") is { } drop)
        {
            DropSubPolicies = BindList(drop, "drop_sub_policy", Level.Leaf);
            drop.Finish();
        }

        if (level == Level.Top && section.GetSection("composite") is { } composite)
        {
            MaxTotalSpansPerSecond = composite.GetInt64("max_total_spans_per_second", MaxTotalSpansPerSecond);
            PolicyOrder = composite.GetStringList("policy_order", PolicyOrder);
            CompositeSubPolicies = BindList(composite, "composite_sub_policy", Level.CompositeSub);
            if (composite.GetSectionList("rate_allocation") is { } allocations)
            {
                RateAllocation = [];
                foreach (var a in allocations)
                {
                    var allocation = new RateAllocationConfig();
                    allocation.Bind(a);
                    RateAllocation.Add(allocation);
                }
            }

            composite.Finish();
        }

        section.Finish();
    }

    private static List<PolicyConfig> BindList(ConfigSection parent, string key, Level level)
    {
        var result = new List<PolicyConfig>();
        if (parent.GetSectionList(key) is { } items)
        {
            foreach (var item in items)
            {
                var policy = new PolicyConfig();
                policy.Bind(item, level);
                result.Add(policy);
            }
        }

        return result;
    }
}
