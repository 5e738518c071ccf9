namespace Pipeline.Processors.TailSampling;

/// <summary><c>composite</c>: sub-policies in <c>policy_order</c>; the first one that keeps the trace and still has
/// room in its share of <c>max_total_spans_per_second</c> for this second keeps it. A sub-policy without a
/// <c>rate_allocation</c> entry may use the whole total.</summary>
internal sealed class CompositePolicy : IPolicyEvaluator
{
    private readonly IPolicyEvaluator[] _subPolicies;
    private readonly long[] _limits;
    private readonly long[] _used;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private long _second = long.MinValue;

    public CompositePolicy(IPolicyEvaluator[] subPolicies, long[] limits, TimeProvider time)
    {
        _subPolicies = subPolicies;
        _limits = limits;
        _used = new long[limits.Length];
        _time = time;
    }

    public Decision Evaluate(TraceData trace)
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        for (int i = 0; i < _subPolicies.Length; i++)
        {
            var d = _subPolicies[i].Evaluate(trace);
            if (d is not (Decision.Sampled or Decision.InvertSampled))
            {
                continue;
            }

            lock (_gate)
            {
                if (now != _second)
                {
                    _second = now;
                    Array.Clear(_used);
                }

                if (_used[i] + trace.SpanCount <= _limits[i])
                {
                    _used[i] += trace.SpanCount;
                    return Decision.Sampled;
                }
            }
        }

        return Decision.NotSampled;
    }
}
