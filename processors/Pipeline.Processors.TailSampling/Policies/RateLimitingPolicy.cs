namespace Pipeline.Processors.TailSampling;

/// <summary><c>rate_limiting</c>: keeps traces while the spans kept in the current second, plus this trace's, stay
/// within <c>spans_per_second</c>; the count restarts each wall-clock second (otelcol's behaviour before its token
/// bucket).</summary>
internal sealed class RateLimitingPolicy(long spansPerSecond, TimeProvider time) : IPolicyEvaluator
{
    private readonly object _gate = new();
    private long _second = long.MinValue;
    private long _spansInSecond;

    public Decision Evaluate(TraceData trace)
    {
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            if (now != _second)
            {
                _second = now;
                _spansInSecond = 0;
            }

            long after = _spansInSecond + trace.SpanCount;
            if (after > spansPerSecond)
            {
                return Decision.NotSampled;
            }

            _spansInSecond = after;
            return Decision.Sampled;
        }
    }
}
