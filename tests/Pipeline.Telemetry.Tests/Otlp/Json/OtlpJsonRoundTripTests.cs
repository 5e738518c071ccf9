using System.Buffers;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Telemetry.Otlp.Json;
using Xunit;

namespace Pipeline.Telemetry.Tests.Otlp.Json;

public sealed class OtlpJsonRoundTripTests
{
    [Fact]
    public void Traces_EveryField_RoundTripsToEqualProtobuf()
    {
        var expected = SampleData.Traces();

        var parsed = OtlpJson.ParseTraces(WriteBytes(b => OtlpJson.Write(expected, b)));

        Assert.Equal(expected, parsed);
        Assert.Equal(expected.ToByteArray(), parsed.ToByteArray());
    }

    [Fact]
    public void Metrics_EveryTypeAndField_RoundTripsToEqualProtobuf()
    {
        var expected = SampleData.Metrics();

        var parsed = OtlpJson.ParseMetrics(WriteBytes(b => OtlpJson.Write(expected, b)));

        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void Logs_EveryBodyKindAndField_RoundTripsToEqualProtobuf()
    {
        var expected = SampleData.Logs();

        var parsed = OtlpJson.ParseLogs(WriteBytes(b => OtlpJson.Write(expected, b)));

        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void Write_EncodedBatch_DecodesAndWritesSameJsonAsRequest()
    {
        var request = SampleData.Traces();
        var batch = Traces.FromEncoded(request.ToByteArray());

        var fromBatch = WriteBytes(b => OtlpJson.Write(batch, b));

        Assert.Equal(Encoding.UTF8.GetString(WriteBytes(b => OtlpJson.Write(request, b))), Encoding.UTF8.GetString(fromBatch));
    }

    [Fact]
    public void Parse_BySignal_WrapsTheRightBatchType()
    {
        var json = WriteBytes(b => OtlpJson.Write(SampleData.Logs(), b));

        var batch = OtlpJson.Parse(Signal.Logs, json);

        var logs = Assert.IsType<Logs>(batch);
        Assert.Equal(SampleData.Logs(), logs.Request);
    }

    [Fact]
    public void Responses_WithPartialSuccess_RoundTrip()
    {
        var traces = new ExportTraceServiceResponse { PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = 5, ErrorMessage = "too old" } };
        var metrics = new ExportMetricsServiceResponse { PartialSuccess = new ExportMetricsPartialSuccess { RejectedDataPoints = long.MaxValue } };
        var logs = new ExportLogsServiceResponse { PartialSuccess = new ExportLogsPartialSuccess { ErrorMessage = "warning only" } };

        var tracesJson = Encoding.UTF8.GetString(WriteBytes(b => OtlpJson.Write(traces, b)));
        var metricsJson = Encoding.UTF8.GetString(WriteBytes(b => OtlpJson.Write(metrics, b)));
        var logsJson = Encoding.UTF8.GetString(WriteBytes(b => OtlpJson.Write(logs, b)));

        Assert.Equal("""{"partialSuccess":{"rejectedSpans":"5","errorMessage":"too old"}}""", tracesJson);
        Assert.Equal("""{"partialSuccess":{"rejectedDataPoints":"9223372036854775807"}}""", metricsJson);
        Assert.Equal("""{"partialSuccess":{"errorMessage":"warning only"}}""", logsJson);
        Assert.Equal(traces, OtlpJson.ParseTracesResponse(Encoding.UTF8.GetBytes(tracesJson)));
        Assert.Equal(metrics, OtlpJson.ParseMetricsResponse(Encoding.UTF8.GetBytes(metricsJson)));
        Assert.Equal(logs, OtlpJson.ParseLogsResponse(Encoding.UTF8.GetBytes(logsJson)));
    }

    [Fact]
    public void Responses_Empty_WriteEmptyObjectAndParseBack()
    {
        var json = WriteBytes(b => OtlpJson.Write(new ExportTraceServiceResponse(), b));

        var parsed = OtlpJson.ParseTracesResponse(json);

        Assert.Equal("{}", Encoding.UTF8.GetString(json));
        Assert.Equal(new ExportTraceServiceResponse(), parsed);
        Assert.Equal(new ExportMetricsServiceResponse(), OtlpJson.ParseMetricsResponse("{}"u8));
        Assert.Equal(new ExportLogsServiceResponse(), OtlpJson.ParseLogsResponse("{}"u8));
    }

    [Fact]
    public void Status_WithRetryInfo_RoundTrips()
    {
        var status = new Status { Code = 14, Message = "unavailable" };
        status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = new Duration { Seconds = 1, Nanos = 500_000_000 } }));

        var json = WriteBytes(b => OtlpJson.Write(status, b));
        var parsed = OtlpJson.ParseStatus(json);

        Assert.Equal("""{"code":14,"message":"unavailable","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}""", Encoding.UTF8.GetString(json));
        Assert.Equal(status, parsed);
    }

    [Fact]
    public void ParseStatus_UnknownDetailType_IsDropped()
    {
        var parsed = OtlpJson.ParseStatus("""{"code":3,"message":"bad","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[]}]}"""u8);

        Assert.Equal(new Status { Code = 3, Message = "bad" }, parsed);
    }

    internal static byte[] WriteBytes(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
