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

    /// <summary>Wraps an encoded <c>ExportTraceServiceRequest</c> body that its producer wrote and counted itself (a
    /// receiver that encodes its own spans), without the framing walk of <see cref="FromEncoded(ReadOnlyMemory{byte})"/>.
    /// The caller vouches for the framing and the count.</summary>
    /// <param name="body">The encoded request body.</param>
    /// <param name="spanCount">The spans in it.</param>
    public static Traces FromEncoded(ReadOnlyMemory<byte> body, int spanCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spanCount);
        System.Diagnostics.Debug.Assert(spanCount == OtlpWire.CountItems(Signal.Traces, body.Span), "The span count does not match the body.");
        return new Traces().InitEncoded([body], spanCount);
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
