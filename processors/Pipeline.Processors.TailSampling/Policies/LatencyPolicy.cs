namespace Pipeline.Processors.TailSampling;

/// <summary><c>latency</c>: keeps a trace whose duration (latest span end minus earliest span start) is at least
/// <c>threshold_ms</c> and, when <c>upper_threshold_ms</c> is set, at most that.</summary>
internal sealed class LatencyPolicy(long thresholdMs, long upperThresholdMs) : IPolicyEvaluator
{
    public Decision Evaluate(TraceData trace)
    {
        ulong minStart = ulong.MaxValue;
        ulong maxEnd = 0;
        foreach (var rs in trace.Batches)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    minStart = Math.Min(minStart, span.StartTimeUnixNano);
                    maxEnd = Math.Max(maxEnd, span.EndTimeUnixNano);
                }
            }
        }

        if (minStart == ulong.MaxValue)
        {
            return Decision.NotSampled;
        }

        long ms = maxEnd > minStart ? (long)((maxEnd - minStart) / 1_000_000) : 0;
        bool keep = upperThresholdMs == 0 ? ms >= thresholdMs : ms >= thresholdMs && ms <= upperThresholdMs;
        return keep ? Decision.Sampled : Decision.NotSampled;
    }
}
