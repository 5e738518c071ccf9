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

    /// <summary><c>sampling_randomness</c>: an explicit rv arrived with the item.</summary>
    SamplingRandomness,

    /// <summary><c>trace_id_w3c</c>: the trace ID's low 56 bits (consistent modes).</summary>
    TraceIdW3C,
}
