using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.OtlpGrpc;

/// <summary>What a server said about items it did not accept (<c>partial_success</c>).</summary>
/// <param name="Rejected">Rejected spans, data points or log records.</param>
/// <param name="Message">The server's explanation, or empty.</param>
internal sealed record PartialSuccess(long Rejected, string Message)
{
    public static readonly PartialSuccess None = new(0, string.Empty);
}

/// <summary>The gRPC method path and response of each signal.</summary>
internal static class OtlpGrpcSignal
{
    /// <summary>The HTTP/2 path of the signal's <c>Export</c> method.</summary>
    public static string PathFor(Signal signal) => signal switch
    {
        Signal.Traces => "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
        Signal.Metrics => "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
        _ => "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
    };

    /// <summary>The log field naming the rejected items, as otelcol's.</summary>
    public static string DroppedField(Signal signal) => signal switch
    {
        Signal.Traces => "dropped_spans",
        Signal.Metrics => "dropped_data_points",
        _ => "dropped_log_records",
    };

    /// <summary>Reads the <c>partial_success</c> of the signal's <c>Export*ServiceResponse</c>.</summary>
    public static PartialSuccess ParseResponse(Signal signal, byte[] message)
    {
        if (message.Length == 0)
        {
            return PartialSuccess.None;
        }

        switch (signal)
        {
            case Signal.Traces:
                {
                    var p = ExportTraceServiceResponse.Parser.ParseFrom(message).PartialSuccess;
                    return p is null ? PartialSuccess.None : new(p.RejectedSpans, p.ErrorMessage);
                }

            case Signal.Metrics:
                {
                    var p = ExportMetricsServiceResponse.Parser.ParseFrom(message).PartialSuccess;
                    return p is null ? PartialSuccess.None : new(p.RejectedDataPoints, p.ErrorMessage);
                }

            default:
                {
                    var p = ExportLogsServiceResponse.Parser.ParseFrom(message).PartialSuccess;
                    return p is null ? PartialSuccess.None : new(p.RejectedLogRecords, p.ErrorMessage);
                }
        }
    }
}
