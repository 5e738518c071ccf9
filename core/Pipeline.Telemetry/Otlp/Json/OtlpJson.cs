using System.Buffers;
using System.Text.Json;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Pipeline.Telemetry.Otlp.Json;

/// <summary>
/// OTLP/JSON as the OTLP specification defines it (not plain proto3 JSON): trace and span ids as hex, enums as
/// integers, 64-bit integers as strings or numbers, lowerCamelCase keys (snake_case accepted), unknown fields ignored.
/// </summary>
/// <remarks>
/// <para>Parsing (receivers, the otlp_http exporter's responses) is lenient as the specification asks: keys in
/// lowerCamelCase or snake_case; ids as hex in either case (an empty string is no id; any other length is an error);
/// enums as integers or their names; 64-bit and 32-bit integers as numbers or decimal strings; doubles as numbers,
/// numeric strings or "NaN"/"Infinity"/"-Infinity"; bytes as standard or URL-safe base64; null is the same as an
/// absent field; unknown fields are skipped whole. Errors are <see cref="OtlpDecodeException"/> naming the message,
/// the field and the byte offset, e.g. <c>Invalid OTLP/JSON at byte 57: Span.traceId must be 32 hex digits for a
/// trace id, got 30 characters.</c> Nesting is limited to 128 JSON levels.</para>
/// <para>Writing (file exporter, otlp_http exporter with <c>encoding: json</c>, OTLP/HTTP responses) is canonical:
/// lowerCamelCase keys, lower-case hex ids, enums as integers, 64-bit integers as decimal strings, fields at their
/// default value left out (as protojson does) except oneof members and optional fields that are set, compact, no
/// trailing newline.</para>
/// </remarks>
public static partial class OtlpJson
{
    /// <summary>Parses an <c>ExportTraceServiceRequest</c>.</summary>
    /// <exception cref="OtlpDecodeException">The JSON is malformed or does not fit the schema; the message says where.</exception>
    public static ExportTraceServiceRequest ParseTraces(ReadOnlySpan<byte> utf8) =>
        OtlpJsonParser.ParseDocument(utf8, "ExportTraceServiceRequest", OtlpJsonParser.ParseTraceRequest);

    /// <summary>Parses an <c>ExportMetricsServiceRequest</c>.</summary>
    /// <exception cref="OtlpDecodeException">The JSON is malformed or does not fit the schema; the message says where.</exception>
    public static ExportMetricsServiceRequest ParseMetrics(ReadOnlySpan<byte> utf8) =>
        OtlpJsonParser.ParseDocument(utf8, "ExportMetricsServiceRequest", OtlpJsonParser.ParseMetricsRequest);

    /// <summary>Parses an <c>ExportLogsServiceRequest</c>.</summary>
    /// <exception cref="OtlpDecodeException">The JSON is malformed or does not fit the schema; the message says where.</exception>
    public static ExportLogsServiceRequest ParseLogs(ReadOnlySpan<byte> utf8) =>
        OtlpJsonParser.ParseDocument(utf8, "ExportLogsServiceRequest", OtlpJsonParser.ParseLogsRequest);

    /// <summary>Parses a request of <paramref name="signal"/> and wraps it as a batch.</summary>
    /// <exception cref="OtlpDecodeException">The JSON is malformed or does not fit the schema; the message says where.</exception>
    public static TelemetryData Parse(Signal signal, ReadOnlySpan<byte> utf8) => signal switch
    {
        Signal.Traces => Traces.FromRequest(ParseTraces(utf8)),
        Signal.Metrics => Metrics.FromRequest(ParseMetrics(utf8)),
        Signal.Logs => Logs.FromRequest(ParseLogs(utf8)),
        _ => throw new ArgumentOutOfRangeException(nameof(signal)),
    };

    /// <summary>Parses an <c>ExportTraceServiceResponse</c> (an OTLP/HTTP success body, maybe with partial success).</summary>
    /// <exception cref="OtlpDecodeException">The JSON is malformed or does not fit the schema; the message says where.</exception>
    public static ExportTraceServiceResponse ParseTracesResponse(ReadOnlySpan<byte> utf8) =>
        OtlpJsonParser.ParseDocument(utf8, "ExportTraceServiceResponse", OtlpJsonParser.ParseTraceResponse);

    /// <summary>Parses an <c>ExportMetricsServiceResponse</c>.</summary>
    /// <exception cref="OtlpDecodeException">The JSON is malformed or does not fit the schema; the message says where.</exception>
    public static ExportMetricsServiceResponse ParseMetricsResponse(ReadOnlySpan<byte> utf8) =>
        OtlpJsonParser.ParseDocument(utf8, "ExportMetricsServiceResponse", OtlpJsonParser.ParseMetricsResponse);

    /// <summary>Parses an <c>ExportLogsServiceResponse</c>.</summary>
    /// <exception cref="OtlpDecodeException">The JSON is malformed or does not fit the schema; the message says where.</exception>
    public static ExportLogsServiceResponse ParseLogsResponse(ReadOnlySpan<byte> utf8) =>
        OtlpJsonParser.ParseDocument(utf8, "ExportLogsServiceResponse", OtlpJsonParser.ParseLogsResponse);

    /// <summary>
    /// Parses a <c>google.rpc.Status</c> (an OTLP/HTTP error body). Of its details only
    /// <c>google.rpc.RetryInfo</c> (<c>{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}</c>)
    /// is kept; other detail types are dropped.
    /// </summary>
    /// <exception cref="OtlpDecodeException">The JSON is malformed or does not fit the schema; the message says where.</exception>
    public static Google.Rpc.Status ParseStatus(ReadOnlySpan<byte> utf8) =>
        OtlpJsonParser.ParseDocument(utf8, "google.rpc.Status", OtlpJsonParser.ParseRpcStatus);

    /// <summary>Writes a batch as one OTLP/JSON object (no trailing newline).</summary>
    public static void Write(TelemetryData data, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(data);
        switch (data)
        {
            case Traces traces:
                Write(traces.Request, output);
                break;
            case Metrics metrics:
                Write(metrics.Request, output);
                break;
            case Logs logs:
                Write(logs.Request, output);
                break;
            default:
                throw new ArgumentException($"Unsupported batch type {data.GetType().Name}.", nameof(data));
        }
    }

    /// <summary>Writes an <c>ExportTraceServiceRequest</c> as one OTLP/JSON object.</summary>
    public static void Write(ExportTraceServiceRequest request, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var w = new Utf8JsonWriter(output, OtlpJsonWriter.Options);
        OtlpJsonWriter.WriteTraceRequest(w, request);
    }

    /// <summary>Writes an <c>ExportMetricsServiceRequest</c> as one OTLP/JSON object.</summary>
    public static void Write(ExportMetricsServiceRequest request, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var w = new Utf8JsonWriter(output, OtlpJsonWriter.Options);
        OtlpJsonWriter.WriteMetricsRequest(w, request);
    }

    /// <summary>Writes an <c>ExportLogsServiceRequest</c> as one OTLP/JSON object.</summary>
    public static void Write(ExportLogsServiceRequest request, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var w = new Utf8JsonWriter(output, OtlpJsonWriter.Options);
        OtlpJsonWriter.WriteLogsRequest(w, request);
    }

    /// <summary>Writes an <c>ExportTraceServiceResponse</c> (<c>{}</c> when there is no partial success).</summary>
    public static void Write(ExportTraceServiceResponse response, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var w = new Utf8JsonWriter(output, OtlpJsonWriter.Options);
        OtlpJsonWriter.WriteTraceResponse(w, response);
    }

    /// <summary>Writes an <c>ExportMetricsServiceResponse</c> (<c>{}</c> when there is no partial success).</summary>
    public static void Write(ExportMetricsServiceResponse response, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var w = new Utf8JsonWriter(output, OtlpJsonWriter.Options);
        OtlpJsonWriter.WriteMetricsResponse(w, response);
    }

    /// <summary>Writes an <c>ExportLogsServiceResponse</c> (<c>{}</c> when there is no partial success).</summary>
    public static void Write(ExportLogsServiceResponse response, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var w = new Utf8JsonWriter(output, OtlpJsonWriter.Options);
        OtlpJsonWriter.WriteLogsResponse(w, response);
    }

    /// <summary>
    /// Writes a <c>google.rpc.Status</c> (<c>{"code":14,"message":"..."}</c>); a RetryInfo detail is written as
    /// <c>{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}</c>, other details are left out.
    /// </summary>
    public static void Write(Google.Rpc.Status status, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(status);
        using var w = new Utf8JsonWriter(output, OtlpJsonWriter.Options);
        OtlpJsonWriter.WriteRpcStatus(w, status);
    }

    /// <summary>Returns a batch as one OTLP/JSON object in a new array.</summary>
    public static byte[] ToUtf8Bytes(TelemetryData data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(data, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
