using OpenTelemetry.Proto.Trace.V1;

namespace Pipeline.Processors.TailSampling;

/// <summary><c>status_code</c>: keeps a trace with at least one span whose status code is listed.</summary>
internal sealed class StatusCodePolicy : IPolicyEvaluator
{
    private readonly bool[] _wanted = new bool[3];

    public StatusCodePolicy(List<string> codes)
    {
        foreach (string code in codes)
        {
            switch (code)
            {
                case "UNSET":
                    _wanted[(int)Status.Types.StatusCode.Unset] = true;
                    break;
                case "OK":
                    _wanted[(int)Status.Types.StatusCode.Ok] = true;
                    break;
                case "ERROR":
                    _wanted[(int)Status.Types.StatusCode.Error] = true;
                    break;
            }
        }
    }

    public Decision Evaluate(TraceData trace)
    {
        foreach (var rs in trace.Batches)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    int code = (int)(span.Status?.Code ?? Status.Types.StatusCode.Unset);
                    if ((uint)code < (uint)_wanted.Length && _wanted[code])
                    {
                        return Decision.Sampled;
                    }
                }
            }
        }

        return Decision.NotSampled;
    }
}
