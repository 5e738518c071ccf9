using System.Buffers;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>
/// OTLP/JSON as the OTLP specification defines it (not plain proto3 JSON): trace and span ids as hex, enums as
/// integers, 64-bit integers as strings or numbers, lowerCamelCase keys (snake_case accepted), unknown fields ignored.
/// </summary>
public static partial class OtlpJson
{
    /// <summary>Parses an <c>ExportTraceServiceRequest</c>.</summary>
    /// <exception cref="OtlpDecodeException">The JSON is malformed or does not fit the schema; the message says where.</exception>
    public static ExportTraceServiceRequest ParseTraces(ReadOnlySpan<byte> utf8) => throw new NotImplementedException();

    /// <summary>Parses an <c>ExportMetricsServiceRequest</c>.</summary>
    /// <exception cref="OtlpDecodeException">The JSON is malformed or does not fit the schema; the message says where.</exception>
    public static ExportMetricsServiceRequest ParseMetrics(ReadOnlySpan<byte> utf8) => throw new NotImplementedException();

    /// <summary>Parses an <c>ExportLogsServiceRequest</c>.</summary>
    /// <exception cref="OtlpDecodeException">The JSON is malformed or does not fit the schema; the message says where.</exception>
    public static ExportLogsServiceRequest ParseLogs(ReadOnlySpan<byte> utf8) => throw new NotImplementedException();

    /// <summary>Writes a batch as one OTLP/JSON object (no trailing newline).</summary>
    public static void Write(TelemetryData data, IBufferWriter<byte> output) => throw new NotImplementedException();
}
