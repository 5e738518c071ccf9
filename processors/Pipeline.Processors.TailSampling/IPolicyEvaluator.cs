namespace Pipeline.Processors.TailSampling;

/// <summary>Decides one trace for one policy.</summary>
internal interface IPolicyEvaluator
{
    /// <summary>The verdict on a trace's spans received so far.</summary>
    Decision Evaluate(TraceData trace);
}
