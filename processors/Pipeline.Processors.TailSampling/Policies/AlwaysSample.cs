namespace Pipeline.Processors.TailSampling;

/// <summary><c>always_sample</c>: keeps every trace.</summary>
internal sealed class AlwaysSample : IPolicyEvaluator
{
    public Decision Evaluate(TraceData trace) => Decision.Sampled;
}
