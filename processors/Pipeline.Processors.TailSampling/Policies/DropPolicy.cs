namespace Pipeline.Processors.TailSampling;

/// <summary><c>drop</c>: when every sub-policy keeps the trace the answer is Dropped, which overrides every other
/// policy; otherwise NotSampled.</summary>
internal sealed class DropPolicy(IPolicyEvaluator[] subPolicies) : IPolicyEvaluator
{
    public Decision Evaluate(TraceData trace)
    {
        foreach (var sub in subPolicies)
        {
            var d = sub.Evaluate(trace);
            if (d is Decision.NotSampled or Decision.InvertNotSampled)
            {
                return Decision.NotSampled;
            }
        }

        return Decision.Dropped;
    }
}
