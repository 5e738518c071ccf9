namespace Pipeline.Processors.TailSampling;

/// <summary><c>trace_state</c>: keeps a trace with a span whose W3C tracestate has <c>key=value</c> for one of
/// <c>values</c>.</summary>
internal sealed class TraceStatePolicy(string key, HashSet<string> values) : IPolicyEvaluator
{
    public Decision Evaluate(TraceData trace)
    {
        foreach (var rs in trace.Batches)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    if (span.TraceState.Length != 0 && Has(span.TraceState))
                    {
                        return Decision.Sampled;
                    }
                }
            }
        }

        return Decision.NotSampled;
    }

    private bool Has(string traceState)
    {
        foreach (var range in traceState.AsSpan().Split(','))
        {
            var member = traceState.AsSpan(range).Trim();
            int eq = member.IndexOf('=');
            if (eq > 0 && member[..eq].SequenceEqual(key) && values.Contains(member[(eq + 1)..].ToString()))
            {
                return true;
            }
        }

        return false;
    }
}
