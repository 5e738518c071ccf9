namespace Pipeline.Processors.ProbabilisticSampler;

/// <summary>The <c>policy</c> tag of otelcol's sampled-count metrics: where an item's decision came from.</summary>
internal enum SamplingPolicy
{
    /// <summary><c>trace_id_hash</c>.</summary>
    TraceIdHash,

    /// <summary>The configured <c>from_attribute</c> name.</summary>
    Attribute,

    /// <summary><c>sampling_priority</c>.</summary>
    SamplingPriority,

    /// <summary><c>missing_randomness</c>.</summary>
    MissingRandomness,
}
