using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Exporters.Tests.File;

/// <summary>Requests for the file exporter tests: every attribute type, events, links, status, resource, scope.</summary>
internal static class FileTestData
{
    public static KeyValue[] Attributes() =>
    [
        new() { Key = "s", Value = new AnyValue { StringValue = "text ü \"q\"" } },
        new() { Key = "b", Value = new AnyValue { BoolValue = true } },
        new() { Key = "i", Value = new AnyValue { IntValue = -9_007_199_254_740_993 } },
        new() { Key = "d", Value = new AnyValue { DoubleValue = 2.5 } },
        new() { Key = "y", Value = new AnyValue { BytesValue = ByteString.CopyFrom(0, 255) } },
        new() { Key = "a", Value = new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { StringValue = "x" }, new AnyValue { IntValue = 1 } } } } },
        new() { Key = "m", Value = new AnyValue { KvlistValue = new KeyValueList { Values = { new KeyValue { Key = "k", Value = new AnyValue { DoubleValue = double.NaN } } } } } },
    ];

    public static Resource Resource() => new() { Attributes = { new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "svc" } } }, DroppedAttributesCount = 1 };

    public static InstrumentationScope Scope() => new() { Name = "lib", Version = "2.0", Attributes = { Attributes()[0] } };

    public static ExportTraceServiceRequest Traces(string name = "span")
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString("0102030405060708090a0b0c0d0e0f10")),
            SpanId = ByteString.CopyFrom(Convert.FromHexString("1112131415161718")),
            ParentSpanId = ByteString.CopyFrom(Convert.FromHexString("2122232425262728")),
            Name = name,
            Kind = Span.Types.SpanKind.Producer,
            StartTimeUnixNano = 1_700_000_000_000_000_000,
            EndTimeUnixNano = 1_700_000_000_100_000_000,
            Attributes = { Attributes() },
            Events = { new Span.Types.Event { Name = "ev", TimeUnixNano = 1_700_000_000_050_000_000, Attributes = { Attributes()[1] } } },
            Links = { new Span.Types.Link { TraceId = ByteString.CopyFrom(new byte[16]), SpanId = ByteString.CopyFrom(new byte[8]), TraceState = "t=1", Attributes = { Attributes()[2] } } },
            Status = new Status { Code = Status.Types.StatusCode.Error, Message = "failed" },
        };
        return new ExportTraceServiceRequest
        {
            ResourceSpans = { new ResourceSpans { Resource = Resource(), SchemaUrl = "https://opentelemetry.io/schemas/1.26.0", ScopeSpans = { new ScopeSpans { Scope = Scope(), Spans = { span } } } } },
        };
    }

    public static ExportMetricsServiceRequest Metrics() => new()
    {
        ResourceMetrics =
        {
            new ResourceMetrics
            {
                Resource = Resource(),
                ScopeMetrics =
                {
                    new ScopeMetrics
                    {
                        Scope = Scope(),
                        Metrics =
                        {
                            new Metric { Name = "g", Gauge = new Gauge { DataPoints = { new NumberDataPoint { AsDouble = 1.5, Attributes = { Attributes() } } } } },
                            new Metric { Name = "s", Sum = new Sum { IsMonotonic = true, AggregationTemporality = AggregationTemporality.Cumulative, DataPoints = { new NumberDataPoint { AsInt = 7 } } } },
                            new Metric { Name = "h", Histogram = new Histogram { DataPoints = { new HistogramDataPoint { Count = 3, Sum = 6, BucketCounts = { 1, 2 }, ExplicitBounds = { 1 } } } } },
                        },
                    },
                },
            },
        },
    };

    public static ExportLogsServiceRequest Logs(string body = "hello") => new()
    {
        ResourceLogs =
        {
            new ResourceLogs
            {
                Resource = Resource(),
                ScopeLogs =
                {
                    new ScopeLogs
                    {
                        Scope = Scope(),
                        LogRecords = { new LogRecord { Body = new AnyValue { StringValue = body }, SeverityNumber = SeverityNumber.Warn, Attributes = { Attributes() }, EventName = "e" } },
                    },
                },
            },
        },
    };

    /// <summary>Builds a config map from key/value pairs; values are strings (scalars) or nested maps.</summary>
    public static ConfigMap Map(params (string Key, object Value)[] entries)
    {
        var map = new ConfigMap();
        foreach (var (key, value) in entries)
        {
            map.Set(key, value switch
            {
                ConfigNode node => node,
                null => new ConfigScalar(null, false),
                _ => new ConfigScalar(value.ToString(), false),
            });
        }

        return map;
    }
}
