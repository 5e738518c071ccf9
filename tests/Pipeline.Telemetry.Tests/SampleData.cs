using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Pipeline.Telemetry.Tests;

/// <summary>Requests that set every field of every OTLP message, with values chosen to trip a lax codec.</summary>
internal static class SampleData
{
    public static readonly byte[] TraceId = Convert.FromHexString("5B8EFFF798038103D269B633813FC60C");
    public static readonly byte[] SpanId = Convert.FromHexString("EEE19B7EC3C1B174");
    public static readonly byte[] ParentId = Convert.FromHexString("AAA19B7EC3C1B173");

    public static AnyValue Str(string s) => new() { StringValue = s };

    public static KeyValue Kv(string key, AnyValue value) => new() { Key = key, Value = value };

    /// <summary>One attribute of every AnyValue kind, nested arrays and maps included, plus edge values.</summary>
    public static IEnumerable<KeyValue> EveryAttributeKind()
    {
        yield return Kv("string", Str("héllo \"quoted\" <tag> & \n line\u2028 \U0001F600"));
        yield return Kv("empty.string", Str(string.Empty));
        yield return Kv("bool.true", new AnyValue { BoolValue = true });
        yield return Kv("bool.false", new AnyValue { BoolValue = false });
        yield return Kv("int", new AnyValue { IntValue = 123 });
        yield return Kv("int.zero", new AnyValue { IntValue = 0 });
        yield return Kv("int.min", new AnyValue { IntValue = long.MinValue });
        yield return Kv("int.max", new AnyValue { IntValue = long.MaxValue });
        yield return Kv("double", new AnyValue { DoubleValue = 3.141592653589793 });
        yield return Kv("double.tiny", new AnyValue { DoubleValue = 5e-324 });
        yield return Kv("double.zero", new AnyValue { DoubleValue = 0 });
        yield return Kv("double.negzero", new AnyValue { DoubleValue = -0.0 });
        yield return Kv("double.nan", new AnyValue { DoubleValue = double.NaN });
        yield return Kv("double.inf", new AnyValue { DoubleValue = double.PositiveInfinity });
        yield return Kv("double.neginf", new AnyValue { DoubleValue = double.NegativeInfinity });
        yield return Kv("bytes", new AnyValue { BytesValue = ByteString.CopyFrom(0, 1, 2, 250, 251, 252, 253, 254, 255) });
        yield return Kv("bytes.empty", new AnyValue { BytesValue = ByteString.Empty });
        yield return Kv("array", new AnyValue
        {
            ArrayValue = new ArrayValue
            {
                Values =
                {
                    Str("a"),
                    new AnyValue { IntValue = -7 },
                    new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { BoolValue = true } } } },
                    new AnyValue(),
                },
            },
        });
        yield return Kv("array.empty", new AnyValue { ArrayValue = new ArrayValue() });
        yield return Kv("kvlist", new AnyValue
        {
            KvlistValue = new KeyValueList
            {
                Values =
                {
                    Kv("inner", Str("x")),
                    Kv("nested", new AnyValue { KvlistValue = new KeyValueList { Values = { Kv("deep", new AnyValue { DoubleValue = 1.5 }) } } }),
                },
            },
        });
        yield return Kv("kvlist.empty", new AnyValue { KvlistValue = new KeyValueList() });
        yield return Kv("empty.value", new AnyValue());
        yield return new KeyValue { Key = "no.value" };
    }

    public static Resource Resource() => new()
    {
        Attributes = { Kv("service.name", Str("checkout")), Kv("host.cores", new AnyValue { IntValue = 8 }) },
        DroppedAttributesCount = 3,
        EntityRefs =
        {
            new EntityRef { SchemaUrl = "https://opentelemetry.io/schemas/1.30.0", Type = "service", IdKeys = { "service.name", "service.namespace" }, DescriptionKeys = { "service.version" } },
            new EntityRef { Type = "host", IdKeys = { "host.id" } },
        },
    };

    public static InstrumentationScope Scope() => new()
    {
        Name = "io.opentelemetry.contrib",
        Version = "1.2.3",
        Attributes = { Kv("scope.attr", new AnyValue { BoolValue = true }) },
        DroppedAttributesCount = 1,
    };

    public static ExportTraceServiceRequest Traces()
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(TraceId),
            SpanId = ByteString.CopyFrom(SpanId),
            ParentSpanId = ByteString.CopyFrom(ParentId),
            TraceState = "rojo=00f067aa0ba902b7",
            Flags = 0x301,
            Name = "GET /api/checkout",
            Kind = Span.Types.SpanKind.Server,
            StartTimeUnixNano = 1_544_712_660_000_000_000UL,
            EndTimeUnixNano = ulong.MaxValue,
            DroppedAttributesCount = 4,
            DroppedEventsCount = 5,
            DroppedLinksCount = 6,
            Status = new Status { Code = Status.Types.StatusCode.Error, Message = "boom" },
            Events =
            {
                new Span.Types.Event { TimeUnixNano = 1_544_712_660_500_000_000UL, Name = "exception", Attributes = { Kv("exception.type", Str("IOException")) }, DroppedAttributesCount = 2 },
                new Span.Types.Event { Name = "bare" },
            },
            Links =
            {
                new Span.Types.Link { TraceId = ByteString.CopyFrom(TraceId), SpanId = ByteString.CopyFrom(ParentId), TraceState = "k=v", Attributes = { Kv("link.attr", new AnyValue { IntValue = 9 }) }, DroppedAttributesCount = 7, Flags = 0x100 },
            },
        };
        span.Attributes.AddRange(EveryAttributeKind());

        return new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans
                {
                    Resource = Resource(),
                    SchemaUrl = "https://opentelemetry.io/schemas/1.4.0",
                    ScopeSpans =
                    {
                        new ScopeSpans
                        {
                            Scope = Scope(),
                            SchemaUrl = "https://opentelemetry.io/schemas/1.5.0",
                            Spans = { span, new Span { Name = "minimal", Status = new Status() }, new Span { Kind = (Span.Types.SpanKind)42 } },
                        },
                        new ScopeSpans(),
                    },
                },
                new ResourceSpans(),
            },
        };
    }

    public static ExportMetricsServiceRequest Metrics()
    {
        var exemplarDouble = new Exemplar
        {
            FilteredAttributes = { Kv("user", Str("u1")) },
            TimeUnixNano = 17,
            AsDouble = 0.25,
            SpanId = ByteString.CopyFrom(SpanId),
            TraceId = ByteString.CopyFrom(TraceId),
        };
        var exemplarInt = new Exemplar { AsInt = -3 };

        var gauge = new Metric
        {
            Name = "cpu.utilization",
            Description = "CPU",
            Unit = "1",
            Gauge = new Gauge
            {
                DataPoints =
                {
                    new NumberDataPoint { Attributes = { EveryAttributeKind() }, StartTimeUnixNano = 1, TimeUnixNano = 2, AsDouble = 0.5, Exemplars = { exemplarDouble, exemplarInt }, Flags = 1 },
                    new NumberDataPoint { AsDouble = 0 },
                    new NumberDataPoint { AsDouble = double.NaN },
                    new NumberDataPoint(),
                },
            },
            Metadata = { Kv("meta", Str("data")) },
        };
        var sum = new Metric
        {
            Name = "requests",
            Unit = "{request}",
            Sum = new Sum
            {
                AggregationTemporality = AggregationTemporality.Cumulative,
                IsMonotonic = true,
                DataPoints = { new NumberDataPoint { TimeUnixNano = 3, AsInt = long.MaxValue }, new NumberDataPoint { AsInt = 0 }, new NumberDataPoint { AsInt = long.MinValue } },
            },
        };
        var histogram = new Metric
        {
            Name = "latency",
            Histogram = new Histogram
            {
                AggregationTemporality = AggregationTemporality.Delta,
                DataPoints =
                {
                    new HistogramDataPoint
                    {
                        Attributes = { Kv("route", Str("/")) },
                        StartTimeUnixNano = 10,
                        TimeUnixNano = 20,
                        Count = 6,
                        Sum = 12.5,
                        BucketCounts = { 1, 2, 3, ulong.MaxValue },
                        ExplicitBounds = { 0.5, 1, double.PositiveInfinity },
                        Exemplars = { exemplarDouble },
                        Flags = 1,
                        Min = 0,
                        Max = 7.25,
                    },
                    new HistogramDataPoint { Sum = 0 },
                    new HistogramDataPoint { Count = 1 },
                },
            },
        };
        var exponential = new Metric
        {
            Name = "latency.exp",
            ExponentialHistogram = new ExponentialHistogram
            {
                AggregationTemporality = AggregationTemporality.Cumulative,
                DataPoints =
                {
                    new ExponentialHistogramDataPoint
                    {
                        Attributes = { Kv("a", Str("b")) },
                        StartTimeUnixNano = 1,
                        TimeUnixNano = 2,
                        Count = 10,
                        Sum = -1.5,
                        Scale = -3,
                        ZeroCount = 2,
                        Positive = new ExponentialHistogramDataPoint.Types.Buckets { Offset = -2, BucketCounts = { 1, 0, 4 } },
                        Negative = new ExponentialHistogramDataPoint.Types.Buckets { Offset = 5, BucketCounts = { 3 } },
                        Flags = 1,
                        Exemplars = { exemplarInt },
                        Min = -4,
                        Max = 9,
                        ZeroThreshold = 1e-9,
                    },
                    new ExponentialHistogramDataPoint { Positive = new ExponentialHistogramDataPoint.Types.Buckets() },
                },
            },
        };
        var summary = new Metric
        {
            Name = "gc.pause",
            Summary = new Summary
            {
                DataPoints =
                {
                    new SummaryDataPoint
                    {
                        Attributes = { Kv("gen", new AnyValue { IntValue = 2 }) },
                        StartTimeUnixNano = 5,
                        TimeUnixNano = 6,
                        Count = 100,
                        Sum = 99.5,
                        QuantileValues =
                        {
                            new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0, Value = 0.1 },
                            new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.99, Value = 4.5 },
                            new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 1, Value = 5 },
                        },
                        Flags = 1,
                    },
                },
            },
        };
        var emptyGauge = new Metric { Name = "empty.gauge", Gauge = new Gauge() };
        var noData = new Metric { Name = "no.data" };

        return new ExportMetricsServiceRequest
        {
            ResourceMetrics =
            {
                new ResourceMetrics
                {
                    Resource = Resource(),
                    SchemaUrl = "https://opentelemetry.io/schemas/1.4.0",
                    ScopeMetrics =
                    {
                        new ScopeMetrics
                        {
                            Scope = Scope(),
                            SchemaUrl = "s",
                            Metrics = { gauge, sum, histogram, exponential, summary, emptyGauge, noData },
                        },
                    },
                },
            },
        };
    }

    public static ExportLogsServiceRequest Logs()
    {
        var logs = new ScopeLogs { Scope = Scope(), SchemaUrl = "https://opentelemetry.io/schemas/1.6.0" };
        int i = 0;
        foreach (var kv in EveryAttributeKind())
        {
            // One record per body kind; the first carries every other field too.
            var record = new LogRecord { Body = kv.Value, SeverityNumber = (SeverityNumber)(i % 25) };
            if (i == 0)
            {
                record.TimeUnixNano = 1_700_000_000_000_000_001UL;
                record.ObservedTimeUnixNano = 1_700_000_000_000_000_002UL;
                record.SeverityNumber = SeverityNumber.Error4;
                record.SeverityText = "ERROR";
                record.Attributes.AddRange(EveryAttributeKind());
                record.DroppedAttributesCount = 11;
                record.Flags = 1;
                record.TraceId = ByteString.CopyFrom(TraceId);
                record.SpanId = ByteString.CopyFrom(SpanId);
                record.EventName = "browser.click";
            }

            logs.LogRecords.Add(record);
            i++;
        }

        return new ExportLogsServiceRequest
        {
            ResourceLogs = { new ResourceLogs { Resource = Resource(), SchemaUrl = "https://opentelemetry.io/schemas/1.4.0", ScopeLogs = { logs } } },
        };
    }
}
