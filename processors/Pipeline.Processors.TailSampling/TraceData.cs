using OpenTelemetry.Proto.Trace.V1;

namespace Pipeline.Processors.TailSampling;

/// <summary>What the processor holds for one trace: its spans (grouped as they arrived) until it is decided, then its
/// decision, which late spans follow.</summary>
internal sealed class TraceData
{
    public TraceData(UInt128 key, byte[] traceId, DateTimeOffset arrival)
    {
        Key = key;
        TraceId = traceId;
        ArrivalTime = arrival;
    }

    /// <summary>The trace ID as a map key.</summary>
    public UInt128 Key { get; }

    /// <summary>The 16 bytes of the trace ID (hashed by the probabilistic policy).</summary>
    public byte[] TraceId { get; }

    /// <summary>When the first span arrived.</summary>
    public DateTimeOffset ArrivalTime { get; }

    /// <summary>Spans received so far, one entry per arriving resource fragment.</summary>
    public List<ResourceSpans> Batches { get; } = [];

    /// <summary>Spans received so far, including those after the decision.</summary>
    public long SpanCount { get; set; }

    /// <summary>The final decision, Unspecified while pending.</summary>
    public Decision FinalDecision { get; set; }

    /// <summary>When the decision was made.</summary>
    public DateTimeOffset DecisionTime { get; set; }

    /// <summary>This trace's place in the eviction order (oldest first).</summary>
    public LinkedListNode<TraceData>? MemoryNode { get; set; }
}
