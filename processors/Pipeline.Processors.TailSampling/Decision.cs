namespace Pipeline.Processors.TailSampling;

/// <summary>A policy's verdict on a trace (otelcol's <c>samplingpolicy.Decision</c>).</summary>
internal enum Decision
{
    /// <summary>Not decided yet.</summary>
    Unspecified,

    /// <summary>Keep the trace.</summary>
    Sampled,

    /// <summary>The policy does not keep the trace.</summary>
    NotSampled,

    /// <summary>An <c>invert_match</c> policy found no match: keeps the trace unless another policy said NotSampled.</summary>
    InvertSampled,

    /// <summary>An <c>invert_match</c> policy found a match: the trace is not sampled whatever other policies say
    /// (except Dropped).</summary>
    InvertNotSampled,

    /// <summary>A <c>drop</c> policy matched: the trace is not sampled, overriding everything.</summary>
    Dropped,
}
