using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Connectors.SpanMetrics;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Connectors.Tests;

public class SpanMetricsTests
{
    private static Span MakeSpan(string name, double ms, Span.Types.SpanKind kind = Span.Types.SpanKind.Server, Status.Types.StatusCode status = Status.Types.StatusCode.Unset, string? method = null)
    {
        var span = new Span { Name = name, Kind = kind, StartTimeUnixNano = 1_000_000_000, EndTimeUnixNano = 1_000_000_000 + (ulong)(ms * 1e6), Status = new Status { Code = status } };
        if (method is not null)
        {
            span.Attributes.Add(new KeyValue { Key = "http.request.method", Value = new AnyValue { StringValue = method } });
        }

        return span;
    }

    private static Traces MakeTraces(string service, params Span[] spans)
    {
        var rs = new ResourceSpans { Resource = new Resource { Attributes = { new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } } } } };
        var ss = new ScopeSpans();
        ss.Spans.Add(spans);
        rs.ScopeSpans.Add(ss);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(rs);
        return Traces.FromRequest(request);
    }

    private static (IConnector<Traces> Connector, SinkConsumer<Metrics> Sink, FakeTimeProvider Time) Create(SpanMetricsConfig config)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var sink = new SinkConsumer<Metrics>();
        var next = new Dictionary<PipelineId, IConsumer<Metrics>> { [new PipelineId(Signal.Metrics, string.Empty)] = sink };
        var connector = new SpanMetricsFactory().CreateConnector<Traces, Metrics>(TestSettings.For(ComponentKind.Connector, "spanmetrics", time: time), config, next);
        return (connector, sink, time);
    }

    private static Dictionary<string, string> Attributes(Google.Protobuf.Collections.RepeatedField<KeyValue> attributes)
    {
        var result = new Dictionary<string, string>();
        foreach (var kv in attributes)
        {
            result[kv.Key] = kv.Value.ValueCase == AnyValue.ValueOneofCase.StringValue ? kv.Value.StringValue : kv.Value.ToString();
        }

        return result;
    }

    [Fact]
    public async Task Flush_CountsCallsAndDurationsPerSpanKey()
    {
        var (connector, sink, _) = Create(new SpanMetricsConfig());
        await connector.StartAsync(NopHost.Instance, default);
        await connector.ConsumeAsync(MakeTraces("orders", MakeSpan("GET /a", 3), MakeSpan("GET /a", 45), MakeSpan("GET /b", 1, status: Status.Types.StatusCode.Error)), default);

        await connector.ShutdownAsync(default);

        var metrics = Assert.Single(sink.Batches).Request.ResourceMetrics.Single();
        Assert.Equal("orders", metrics.Resource.Attributes.Single(a => a.Key == "service.name").Value.StringValue);
        var scope = metrics.ScopeMetrics.Single();
        var calls = scope.Metrics.Single(m => m.Name == "traces.span.metrics.calls");
        var duration = scope.Metrics.Single(m => m.Name == "traces.span.metrics.duration");
        Assert.True(calls.Sum.IsMonotonic);
        Assert.Equal(AggregationTemporality.Cumulative, calls.Sum.AggregationTemporality);
        var a = calls.Sum.DataPoints.Single(p => Attributes(p.Attributes)["span.name"] == "GET /a");
        Assert.Equal(2, a.AsInt);
        Assert.Equal(new Dictionary<string, string> { ["service.name"] = "orders", ["span.name"] = "GET /a", ["span.kind"] = "SPAN_KIND_SERVER", ["status.code"] = "STATUS_CODE_UNSET" }, Attributes(a.Attributes));
        var b = calls.Sum.DataPoints.Single(p => Attributes(p.Attributes)["span.name"] == "GET /b");
        Assert.Equal("STATUS_CODE_ERROR", Attributes(b.Attributes)["status.code"]);
        Assert.Equal("ms", duration.Unit);
        var histogram = duration.Histogram.DataPoints.Single(p => Attributes(p.Attributes)["span.name"] == "GET /a");
        Assert.Equal(SpanMetricsConfig.DefaultBucketsMs, histogram.ExplicitBounds);
        Assert.Equal(2UL, histogram.Count);
        Assert.Equal(48, histogram.Sum, 6);
        Assert.Equal(1UL, histogram.BucketCounts[1]); // 3 ms in (2, 4]
        Assert.Equal(1UL, histogram.BucketCounts[5]); // 45 ms in (10, 50]
    }

    [Fact]
    public async Task Timer_FlushesEveryInterval_CumulativeKeepsCounting()
    {
        var (connector, sink, time) = Create(new SpanMetricsConfig { MetricsFlushInterval = TimeSpan.FromSeconds(15) });
        await connector.StartAsync(NopHost.Instance, default);
        await connector.ConsumeAsync(MakeTraces("svc", MakeSpan("op", 1)), default);
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.True(await sink.WaitForItemsAsync(2, TimeSpan.FromSeconds(10)));

        await connector.ConsumeAsync(MakeTraces("svc", MakeSpan("op", 1)), default);
        await connector.ShutdownAsync(default);

        var last = sink.Batches[^1].Request.ResourceMetrics.Single().ScopeMetrics.Single().Metrics.Single(m => m.Name.EndsWith(".calls", StringComparison.Ordinal));
        Assert.Equal(2, last.Sum.DataPoints.Single().AsInt);
    }

    [Fact]
    public async Task Delta_ResetsAfterEachFlush()
    {
        var config = new SpanMetricsConfig { AggregationTemporality = "AGGREGATION_TEMPORALITY_DELTA" };
        var (connector, sink, _) = Create(config);
        await connector.ConsumeAsync(MakeTraces("svc", MakeSpan("op", 1), MakeSpan("op", 1)), default);
        await ((SpanMetricsConnector)connector).FlushAsync(CancellationToken.None);
        await connector.ConsumeAsync(MakeTraces("svc", MakeSpan("op", 1)), default);
        await ((SpanMetricsConnector)connector).FlushAsync(CancellationToken.None);

        var second = sink.Batches[1].Request.ResourceMetrics.Single().ScopeMetrics.Single().Metrics.Single(m => m.Name.EndsWith(".calls", StringComparison.Ordinal));

        Assert.Equal(AggregationTemporality.Delta, second.Sum.AggregationTemporality);
        Assert.Equal(1, second.Sum.DataPoints.Single().AsInt);
    }

    [Fact]
    public async Task Dimensions_FromSpanOrDefault_AreAddedToKey()
    {
        var config = new SpanMetricsConfig();
        config.Dimensions.Add(("http.request.method", "GET"));
        config.Dimensions.Add(("absent.no.default", null));
        var (connector, sink, _) = Create(config);
        await connector.StartAsync(NopHost.Instance, default);
        await connector.ConsumeAsync(MakeTraces("svc", MakeSpan("op", 1, method: "POST"), MakeSpan("op", 1)), default);

        await connector.ShutdownAsync(default);

        var points = sink.Batches.Single().Request.ResourceMetrics.Single().ScopeMetrics.Single().Metrics.Single(m => m.Name.EndsWith(".calls", StringComparison.Ordinal)).Sum.DataPoints;
        Assert.Equal(2, points.Count);
        Assert.Contains(points, p => Attributes(p.Attributes)["http.request.method"] == "POST");
        Assert.Contains(points, p => Attributes(p.Attributes)["http.request.method"] == "GET");
        Assert.DoesNotContain(points, p => Attributes(p.Attributes).ContainsKey("absent.no.default"));
    }

    [Fact]
    public async Task CardinalityLimit_ExtraKeysGoToOverflowSeries()
    {
        var (connector, sink, _) = Create(new SpanMetricsConfig { AggregationCardinalityLimit = 2 });
        await connector.StartAsync(NopHost.Instance, default);
        await connector.ConsumeAsync(MakeTraces("svc", MakeSpan("a", 1), MakeSpan("b", 1), MakeSpan("c", 1), MakeSpan("d", 1)), default);

        await connector.ShutdownAsync(default);

        var points = sink.Batches.Single().Request.ResourceMetrics.Single().ScopeMetrics.Single().Metrics.Single(m => m.Name.EndsWith(".calls", StringComparison.Ordinal)).Sum.DataPoints;
        Assert.Equal(3, points.Count);
        var overflow = points.Single(p => p.Attributes.Any(a => a.Key == "otel.metric.overflow"));
        Assert.Equal(2, overflow.AsInt);
    }

    [Fact]
    public void Validate_DuplicateDimension_Rejected()
    {
        var config = new SpanMetricsConfig();
        config.Dimensions.Add(("span.name", null));
        var errors = new ConfigErrorList();

        config.Validate(new ValidationErrors(errors, "connectors::spanmetrics"));

        Assert.Equal("connectors::spanmetrics::dimensions: failed validating dimensions: duplicate dimension name span.name.", Assert.Single(errors.Errors).ToString());
    }

    [Fact]
    public void Bind_BucketsAndUnit_ConvertedToHistogramUnit()
    {
        var map = new ConfigMap();
        var histogram = new ConfigMap();
        histogram.Set("unit", new ConfigScalar("s", false));
        var explicitMap = new ConfigMap();
        explicitMap.Set("buckets", new ConfigList([new ConfigScalar("100us", false), new ConfigScalar("250ms", false), new ConfigScalar("1s", false)]));
        histogram.Set("explicit", explicitMap);
        map.Set("histogram", histogram);
        var errors = new ConfigErrorList();
        var config = new SpanMetricsConfig();
        var section = new ConfigSection(map, "connectors::spanmetrics", errors);

        config.Bind(section);
        section.Finish();

        Assert.False(errors.HasErrors, errors.ToString());
        Assert.Equal([0.0001, 0.25, 1], config.BucketBounds());
    }
}
