using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Telemetry.Otlp;

namespace Pipeline.Telemetry;

/// <summary>A batch of spans.</summary>
public sealed class Traces : TelemetryData<Traces, ExportTraceServiceRequest>
{
    private Traces()
    {
    }

    /// <inheritdoc />
    public override Signal Signal => Signal.Traces;

    /// <summary>Wraps a decoded request.</summary>
    public static Traces FromRequest(ExportTraceServiceRequest request) => new Traces().InitDecoded(request);

    /// <summary>Wraps an encoded <c>ExportTraceServiceRequest</c> body, validating its framing and counting its spans.</summary>
    /// <exception cref="OtlpDecodeException">The bytes are not a well-formed request.</exception>
    public static Traces FromEncoded(ReadOnlyMemory<byte> body)
    {
        int count = OtlpWire.CountItems(Signal.Traces, body.Span);
        return new Traces().InitEncoded([body], count);
    }

    /// <inheritdoc />
    protected override int CountItems(ExportTraceServiceRequest request)
    {
        int n = 0;
        foreach (var rs in request.ResourceSpans)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                n += ss.Spans.Count;
            }
        }

        return n;
    }

    /// <inheritdoc />
    protected override Traces CreateEmpty() => new();
}
