using OpenTelemetry.Proto.Collector.Logs.V1;
using Pipeline.Telemetry.Otlp;

namespace Pipeline.Telemetry;

/// <summary>A batch of log records.</summary>
public sealed class Logs : TelemetryData<Logs, ExportLogsServiceRequest>
{
    private Logs()
    {
    }

    /// <inheritdoc />
    public override Signal Signal => Signal.Logs;

    /// <summary>Wraps a decoded request.</summary>
    public static Logs FromRequest(ExportLogsServiceRequest request) => new Logs().InitDecoded(request);

    /// <summary>Wraps an encoded <c>ExportLogsServiceRequest</c> body, validating its framing and counting its records.</summary>
    /// <exception cref="OtlpDecodeException">The bytes are not a well-formed request.</exception>
    public static Logs FromEncoded(ReadOnlyMemory<byte> body)
    {
        int count = OtlpWire.CountItems(Signal.Logs, body.Span);
        return new Logs().InitEncoded([body], count);
    }

    /// <inheritdoc />
    protected override int CountItems(ExportLogsServiceRequest request)
    {
        int n = 0;
        foreach (var rl in request.ResourceLogs)
        {
            foreach (var sl in rl.ScopeLogs)
            {
                n += sl.LogRecords.Count;
            }
        }

        return n;
    }

    /// <inheritdoc />
    protected override Logs CreateEmpty() => new();
}
