namespace Pipeline.Processors.TailSampling;

/// <summary><c>span_count</c>: keeps a trace with at least <c>min_spans</c> and, when <c>max_spans</c> is set, at most
/// that many spans.</summary>
internal sealed class SpanCountPolicy(int minSpans, int maxSpans) : IPolicyEvaluator
{
    public Decision Evaluate(TraceData trace)
    {
        long n = trace.SpanCount;
        bool keep = n >= minSpans && (maxSpans == 0 || n <= maxSpans);
        return keep ? Decision.Sampled : Decision.NotSampled;
    }
}
