namespace Pipeline.Processors.TailSampling;

/// <summary><c>and</c>: keeps a trace only when every sub-policy keeps it (a NotSampled or InvertNotSampled answer
/// stops the evaluation).</summary>
internal sealed class AndPolicy(IPolicyEvaluator[] subPolicies) : IPolicyEvaluator
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

        return Decision.Sampled;
    }
}
