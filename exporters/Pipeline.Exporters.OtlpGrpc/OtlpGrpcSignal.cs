using System.Buffers;
using Grpc.Core;
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

/// <summary>The gRPC method of each signal, with a marshaller that writes the batch's encoded bytes as they are.</summary>
internal static class OtlpGrpcSignal
{
    public static Method<T, PartialSuccess> MethodFor<T>()
        where T : TelemetryData
    {
        var request = new Marshaller<T>(Serialize, static _ => throw new NotSupportedException("The exporter never reads requests."));
        if (typeof(T) == typeof(Traces))
        {
            return new Method<T, PartialSuccess>(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", request, ResponseMarshaller(ParseTraces));
        }

        if (typeof(T) == typeof(Metrics))
        {
            return new Method<T, PartialSuccess>(MethodType.Unary, "opentelemetry.proto.collector.metrics.v1.MetricsService", "Export", request, ResponseMarshaller(ParseMetrics));
        }

        if (typeof(T) == typeof(Logs))
        {
            return new Method<T, PartialSuccess>(MethodType.Unary, "opentelemetry.proto.collector.logs.v1.LogsService", "Export", request, ResponseMarshaller(ParseLogs));
        }

        throw new NotSupportedException($"No OTLP service for batch type {typeof(T).Name}.");
    }

    private static Marshaller<PartialSuccess> ResponseMarshaller(Func<DeserializationContext, PartialSuccess> parse) =>
        new(static (PartialSuccess _, SerializationContext _) => throw new NotSupportedException("The exporter never writes responses."), parse);

    /// <summary>The log field naming the rejected items, as otelcol's.</summary>
    public static string DroppedField(Signal signal) => signal switch
    {
        Signal.Traces => "dropped_spans",
        Signal.Metrics => "dropped_data_points",
        _ => "dropped_log_records",
    };

    // Pass-through data is written as the bytes the receiver got: no decode, no re-encode.
    private static void Serialize<T>(T data, SerializationContext context)
        where T : TelemetryData
    {
        long size = data.CalculateSize();
        context.SetPayloadLength(checked((int)size));
        data.WriteTo(context.GetBufferWriter());
        context.Complete();
    }

    private static PartialSuccess ParseTraces(DeserializationContext context)
    {
        var response = ExportTraceServiceResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence());
        return response.PartialSuccess is { } p ? new(p.RejectedSpans, p.ErrorMessage) : PartialSuccess.None;
    }

    private static PartialSuccess ParseMetrics(DeserializationContext context)
    {
        var response = ExportMetricsServiceResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence());
        return response.PartialSuccess is { } p ? new(p.RejectedDataPoints, p.ErrorMessage) : PartialSuccess.None;
    }

    private static PartialSuccess ParseLogs(DeserializationContext context)
    {
        var response = ExportLogsServiceResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence());
        return response.PartialSuccess is { } p ? new(p.RejectedLogRecords, p.ErrorMessage) : PartialSuccess.None;
    }
}
