using System.Text;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Telemetry.Otlp.Json;
using Xunit;

namespace Pipeline.Telemetry.Tests.Otlp.Json;

public sealed class OtlpJsonWriteTests
{
    [Fact]
    public void Write_Span_UsesHexIdsStringIntsIntegerEnumsAndOmitsDefaults()
    {
        var request = new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans
                {
                    Resource = new() { Attributes = { SampleData.Kv("service.name", SampleData.Str("svc")) } },
                    ScopeSpans =
                    {
                        new ScopeSpans
                        {
                            Scope = new InstrumentationScope { Name = "lib" },
                            Spans =
                            {
                                new Span
                                {
                                    TraceId = ByteString.CopyFrom(SampleData.TraceId),
                                    SpanId = ByteString.CopyFrom(SampleData.SpanId),
                                    Name = "op",
                                    Kind = Span.Types.SpanKind.Client,
                                    StartTimeUnixNano = 1544712660000000000,
                                    Attributes = { SampleData.Kv("n", new AnyValue { IntValue = 123 }), SampleData.Kv("d", new AnyValue { DoubleValue = double.NaN }) },
                                    Status = new Status(),
                                },
                            },
                        },
                    },
                },
            },
        };

        string json = Encoding.UTF8.GetString(OtlpJsonRoundTripTests.WriteBytes(b => OtlpJson.Write(request, b)));

        Assert.Equal(
            """{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeSpans":[{"scope":{"name":"lib"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"op","kind":3,"startTimeUnixNano":"1544712660000000000","attributes":[{"key":"n","value":{"intValue":"123"}},{"key":"d","value":{"doubleValue":"NaN"}}],"status":{}}]}]}]}""",
            json);
    }

    [Fact]
    public void Write_MetricOneofsAndOptionals_WrittenWhenSetEvenIfZero()
    {
        var request = new ExportMetricsServiceRequest
        {
            ResourceMetrics =
            {
                new ResourceMetrics
                {
                    ScopeMetrics =
                    {
                        new ScopeMetrics
                        {
                            Metrics =
                            {
                                new Metric { Name = "g", Gauge = new Gauge { DataPoints = { new NumberDataPoint { AsInt = 0 }, new NumberDataPoint { AsDouble = 0 }, new NumberDataPoint() } } },
                                new Metric { Name = "h", Histogram = new Histogram { DataPoints = { new HistogramDataPoint { Sum = 0, Min = 0, BucketCounts = { 0, 1 } } } } },
                                new Metric { Name = "empty", Sum = new Sum() },
                            },
                        },
                    },
                },
            },
        };

        string json = Encoding.UTF8.GetString(OtlpJsonRoundTripTests.WriteBytes(b => OtlpJson.Write(request, b)));

        Assert.Equal(
            """{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"asInt":"0"},{"asDouble":0},{}]}},{"name":"h","histogram":{"dataPoints":[{"sum":0,"bucketCounts":["0","1"],"min":0}]}},{"name":"empty","sum":{}}]}]}]}""",
            json);
    }

    [Fact]
    public void Write_LogBodyAndNonAsciiText_KeptAsUtf8()
    {
        var request = new ExportLogsServiceRequest
        {
            ResourceLogs =
            {
                new ResourceLogs
                {
                    ScopeLogs =
                    {
                        new ScopeLogs
                        {
                            LogRecords =
                            {
                                new LogRecord { SeverityNumber = SeverityNumber.Info, Body = new AnyValue { StringValue = "héllo <b>\"x\"</b>" }, Flags = 1, EventName = "ev" },
                                new LogRecord { Body = new AnyValue { BytesValue = ByteString.CopyFrom(1, 2, 3) } },
                            },
                        },
                    },
                },
            },
        };

        string json = Encoding.UTF8.GetString(OtlpJsonRoundTripTests.WriteBytes(b => OtlpJson.Write(request, b)));

        Assert.Equal(
            """{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":9,"body":{"stringValue":"héllo <b>\"x\"</b>"},"flags":1,"eventName":"ev"},{"body":{"bytesValue":"AQID"}}]}]}]}""",
            json);
    }

    [Fact]
    public void ToUtf8Bytes_EmptyBatch_IsEmptyObject()
    {
        var batch = Traces.FromRequest(new ExportTraceServiceRequest());

        var bytes = OtlpJson.ToUtf8Bytes(batch);

        Assert.Equal("{}", Encoding.UTF8.GetString(bytes));
    }
}
