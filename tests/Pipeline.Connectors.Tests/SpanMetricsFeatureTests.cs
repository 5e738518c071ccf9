using Google.Protobuf;
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

/// <summary>spanmetrics beyond calls and duration: exemplars, span-event counts, metrics_expiration, exponential
/// histograms, instrumentation-scope dimensions, and their config keys and errors (otelcol-contrib
/// connector/spanmetricsconnector).</summary>
public class SpanMetricsFeatureTests
{
    private static Span MakeSpan(string name, double ms, byte id, params EventSpec[] events)
    {
        var span = new Span
        {
            Name = name,
            Kind = Span.Types.SpanKind.Server,
            TraceId = ByteString.CopyFrom([id, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
            SpanId = ByteString.CopyFrom([id, 0, 0, 0, 0, 0, 0, 1]),
            StartTimeUnixNano = 1_000_000_000,
            EndTimeUnixNano = 1_000_000_000 + (ulong)(ms * 1e6),
        };
        foreach (var e in events)
        {
            var spanEvent = new Span.Types.Event { Name = e.Name };
            if (e.ExceptionType is not null)
            {
                spanEvent.Attributes.Add(new KeyValue { Key = "exception.type", Value = new AnyValue { StringValue = e.ExceptionType } });
            }

            span.Events.Add(spanEvent);
        }

        return span;
    }

    private static Traces MakeTraces(string? service, params Span[] spans) => MakeTraces(service, null, spans);

    private static Traces MakeTraces(string? service, InstrumentationScope? scope, params Span[] spans)
    {
        var rs = new ResourceSpans { Resource = new Resource() };
        if (service is not null)
        {
            rs.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } });
        }

        var ss = new ScopeSpans { Scope = scope };
        ss.Spans.Add(spans);
        rs.ScopeSpans.Add(ss);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(rs);
        return Traces.FromRequest(request);
    }

    private static (SpanMetricsConnector Connector, SinkConsumer<Metrics> Sink, FakeTimeProvider Time) Create(SpanMetricsConfig config)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var sink = new SinkConsumer<Metrics>();
        var next = new Dictionary<PipelineId, IConsumer<Metrics>> { [new PipelineId(Signal.Metrics, string.Empty)] = sink };
        var connector = new SpanMetricsFactory().CreateConnector<Traces, Metrics>(TestSettings.For(ComponentKind.Connector, "spanmetrics", time: time), config, next);
        return ((SpanMetricsConnector)connector, sink, time);
    }

    private static Metric Named(SinkConsumer<Metrics> sink, int batch, string name) =>
        sink.Batches[batch].Request.ResourceMetrics.Single().ScopeMetrics.Single().Metrics.Single(m => m.Name == name);

    private static string Attr(Google.Protobuf.Collections.RepeatedField<KeyValue> attributes, string key) => attributes.Single(a => a.Key == key).Value.StringValue;

    private static ConfigSection Section(ConfigMap map, ConfigErrorList errors) => new(map, "connectors::spanmetrics", errors);

    private static ConfigMap Map(params (string Key, ConfigNode Value)[] entries)
    {
        var map = new ConfigMap();
        foreach (var (key, value) in entries)
        {
            map.Set(key, value);
        }

        return map;
    }

    private static ConfigScalar S(string value) => new(value, false);

    [Fact]
    public async Task Exemplars_Enabled_CarryTraceAndSpanIdsAndDurationOnCallsAndHistogram()
    {
        var (connector, sink, _) = Create(new SpanMetricsConfig { ExemplarsEnabled = true });
        await connector.ConsumeAsync(MakeTraces("svc", MakeSpan("op", 3, 1), MakeSpan("op", 45, 2)), default);

        await connector.FlushAsync(default);

        var histogram = Named(sink, 0, "traces.span.metrics.duration").Histogram.DataPoints.Single();
        Assert.Equal(2, histogram.Exemplars.Count);
        Assert.Equal([3.0, 45.0], histogram.Exemplars.Select(e => Math.Round(e.AsDouble, 6)));
        Assert.Equal(MakeSpan("op", 3, 1).TraceId, histogram.Exemplars[0].TraceId);
        Assert.Equal(MakeSpan("op", 45, 2).SpanId, histogram.Exemplars[1].SpanId);
        Assert.Equal(histogram.TimeUnixNano, histogram.Exemplars[0].TimeUnixNano);
        var calls = Named(sink, 0, "traces.span.metrics.calls").Sum.DataPoints.Single();
        Assert.Equal(2, calls.Exemplars.Count);
    }

    [Fact]
    public async Task Exemplars_MaxPerDataPoint_CapsEachPointAndNextIntervalStartsEmpty()
    {
        var (connector, sink, _) = Create(new SpanMetricsConfig { ExemplarsEnabled = true, ExemplarsMaxPerDataPoint = 2 });
        await connector.ConsumeAsync(MakeTraces("svc", MakeSpan("op", 1, 1), MakeSpan("op", 2, 2), MakeSpan("op", 3, 3)), default);
        await connector.FlushAsync(default);

        await connector.FlushAsync(default);

        Assert.Equal(2, Named(sink, 0, "traces.span.metrics.duration").Histogram.DataPoints.Single().Exemplars.Count);
        var second = Named(sink, 1, "traces.span.metrics.duration").Histogram.DataPoints.Single();
        Assert.Equal(3UL, second.Count);
        Assert.Empty(second.Exemplars);
    }

    [Fact]
    public async Task Exemplars_Disabled_NoneAttached()
    {
        var (connector, sink, _) = Create(new SpanMetricsConfig());
        await connector.ConsumeAsync(MakeTraces("svc", MakeSpan("op", 1, 1)), default);

        await connector.FlushAsync(default);

        Assert.Empty(Named(sink, 0, "traces.span.metrics.duration").Histogram.DataPoints.Single().Exemplars);
    }

    [Fact]
    public async Task Events_Enabled_CountsSpanEventsPerEventDimension()
    {
        var config = new SpanMetricsConfig { EventsEnabled = true };
        config.EventDimensions.Add(("exception.type", null));
        var (connector, sink, _) = Create(config);
        var failing = MakeSpan("op", 1, 1, new("exception", "TimeoutException"), new("exception", "TimeoutException"), new("exception", "IOException"));
        var quiet = MakeSpan("op", 1, 2);

        await connector.ConsumeAsync(MakeTraces("svc", failing, quiet), default);
        await connector.FlushAsync(default);

        var events = Named(sink, 0, "traces.span.metrics.events").Sum;
        Assert.True(events.IsMonotonic);
        Assert.Equal(2, events.DataPoints.Count);
        var timeout = events.DataPoints.Single(p => Attr(p.Attributes, "exception.type") == "TimeoutException");
        Assert.Equal(2, timeout.AsInt);
        Assert.Equal("op", Attr(timeout.Attributes, "span.name"));
        Assert.Equal("svc", Attr(timeout.Attributes, "service.name"));
        Assert.Equal(1, events.DataPoints.Single(p => Attr(p.Attributes, "exception.type") == "IOException").AsInt);
        Assert.Equal(2, Named(sink, 0, "traces.span.metrics.calls").Sum.DataPoints.Single().AsInt);
    }

    [Fact]
    public async Task Events_Disabled_NoEventsMetric()
    {
        var (connector, sink, _) = Create(new SpanMetricsConfig());
        await connector.ConsumeAsync(MakeTraces("svc", MakeSpan("op", 1, 1, new EventSpec("exception", "X"))), default);

        await connector.FlushAsync(default);

        Assert.DoesNotContain(sink.Batches[0].Request.ResourceMetrics.Single().ScopeMetrics.Single().Metrics, m => m.Name == "traces.span.metrics.events");
    }

    [Fact]
    public async Task MetricsExpiration_ResourceIdle_ExportedOnceMoreThenDropped()
    {
        var (connector, sink, time) = Create(new SpanMetricsConfig { MetricsExpiration = TimeSpan.FromSeconds(30) });
        await connector.ConsumeAsync(MakeTraces("old", MakeSpan("op", 1, 1)), default);
        time.Advance(TimeSpan.FromSeconds(31));
        await connector.ConsumeAsync(MakeTraces("new", MakeSpan("op", 1, 2)), default);

        await connector.FlushAsync(default);
        await connector.FlushAsync(default);

        Assert.Equal(2, sink.Batches[0].Request.ResourceMetrics.Count);
        var after = Assert.Single(sink.Batches[1].Request.ResourceMetrics);
        Assert.Equal("new", Attr(after.Resource.Attributes, "service.name"));
    }

    [Fact]
    public async Task MetricsExpiration_Zero_KeepsIdleResources()
    {
        var (connector, sink, time) = Create(new SpanMetricsConfig());
        await connector.ConsumeAsync(MakeTraces("old", MakeSpan("op", 1, 1)), default);
        time.Advance(TimeSpan.FromHours(1));

        await connector.FlushAsync(default);
        await connector.FlushAsync(default);

        Assert.Single(sink.Batches[1].Request.ResourceMetrics);
    }

    [Fact]
    public async Task Consume_ResourceWithoutServiceName_NotCounted()
    {
        var (connector, sink, _) = Create(new SpanMetricsConfig());
        await connector.ConsumeAsync(MakeTraces(null, MakeSpan("op", 1, 1)), default);

        await connector.FlushAsync(default);

        Assert.Empty(sink.Batches);
    }

    [Fact]
    public async Task IncludeInstrumentationScope_Listed_AddsScopeDimensions()
    {
        var config = new SpanMetricsConfig { IncludeInstrumentationScope = ["lib.a"] };
        var (connector, sink, _) = Create(config);
        await connector.ConsumeAsync(MakeTraces("svc", new InstrumentationScope { Name = "lib.a", Version = "1.2" }, MakeSpan("op", 1, 1)), default);
        await connector.ConsumeAsync(MakeTraces("svc", new InstrumentationScope { Name = "lib.b", Version = "9" }, MakeSpan("op", 1, 2)), default);

        await connector.FlushAsync(default);

        var points = Named(sink, 0, "traces.span.metrics.calls").Sum.DataPoints;
        Assert.Equal(2, points.Count);
        var a = points.Single(p => p.Attributes.Any(kv => kv.Key == "span.instrumentation.scope.name"));
        Assert.Equal("lib.a", Attr(a.Attributes, "span.instrumentation.scope.name"));
        Assert.Equal("1.2", Attr(a.Attributes, "span.instrumentation.scope.version"));
    }

    [Fact]
    public async Task Exponential_Configured_EmitsExponentialHistogramWithEveryValueInItsBucket()
    {
        var (connector, sink, _) = Create(new SpanMetricsConfig { ExponentialMaxSize = 160 });
        double[] durations = [0, 1.5, 3, 45, 1200];
        await connector.ConsumeAsync(MakeTraces("svc", durations.Select((d, i) => MakeSpan("op", d, (byte)(i + 1))).ToArray()), default);

        await connector.FlushAsync(default);

        var metric = Named(sink, 0, "traces.span.metrics.duration");
        Assert.Equal(Metric.DataOneofCase.ExponentialHistogram, metric.DataCase);
        var point = metric.ExponentialHistogram.DataPoints.Single();
        Assert.Equal(5UL, point.Count);
        Assert.Equal(1UL, point.ZeroCount);
        Assert.Equal(1249.5, point.Sum, 6);
        Assert.Equal(1200, point.Max, 6);
        Assert.True(point.Positive.BucketCounts.Count <= 160);
        Assert.Equal(4UL, (ulong)point.Positive.BucketCounts.Sum(c => (long)c));
        AssertEachValueInItsBucket(point, [1.5, 3, 45, 1200]);
    }

    [Fact]
    public void ExponentialBuckets_WideRangeSmallMaxSize_DownscalesUntilItFits()
    {
        var buckets = new ExponentialBuckets(4);
        double[] values = [1.1, 10, 100, 1000, 10000];

        foreach (var v in values)
        {
            buckets.Observe(v);
        }

        var point = new ExponentialHistogramDataPoint();
        buckets.WriteTo(point);
        Assert.True(point.Positive.BucketCounts.Count <= 4, $"{point.Positive.BucketCounts.Count} buckets at scale {point.Scale}");
        Assert.True(point.Scale < 20);
        Assert.Equal(5UL, (ulong)point.Positive.BucketCounts.Sum(c => (long)c));
        AssertEachValueInItsBucket(point, values);
    }

    [Fact]
    public void ExponentialBuckets_IndexOf_MatchesTheDefinitionAtScaleZeroAndOne()
    {
        // Scale 0: bucket i is (2^i, 2^(i+1)]. Scale 1: base sqrt(2).
        Assert.Equal(0, ExponentialBuckets.IndexOf(2, 0));
        Assert.Equal(1, ExponentialBuckets.IndexOf(3, 0));
        Assert.Equal(1, ExponentialBuckets.IndexOf(4, 0));
        Assert.Equal(-1, ExponentialBuckets.IndexOf(0.75, 0));
        Assert.Equal(2, ExponentialBuckets.IndexOf(2.5, 1));
        Assert.Equal(-2, ExponentialBuckets.IndexOf(0.6, 1));
    }

    [Fact]
    public void Bind_ExemplarsEventsExpirationExponential_AllRead()
    {
        var errors = new ConfigErrorList();
        var map = Map(
            ("exemplars", Map(("enabled", S("true")), ("max_per_data_point", S("5")))),
            ("events", Map(("enabled", S("true")), ("dimensions", new ConfigList([Map(("name", S("exception.type"))), Map(("name", S("exception.message")), ("default", S("none")))])))),
            ("metrics_expiration", S("5m")),
            ("dimensions_cache_size", S("500")),
            ("include_instrumentation_scope", new ConfigList([S("lib.a")])),
            ("histogram", Map(("exponential", Map(("max_size", S("80")))))));
        var config = new SpanMetricsConfig();
        var section = Section(map, errors);

        config.Bind(section);
        section.Finish();
        config.Validate(new ValidationErrors(errors, "connectors::spanmetrics"));

        Assert.False(errors.HasErrors, errors.ToString());
        Assert.True(config.ExemplarsEnabled);
        Assert.Equal(5, config.ExemplarsMaxPerDataPoint);
        Assert.True(config.EventsEnabled);
        Assert.Equal([("exception.type", null), ("exception.message", "none")], config.EventDimensions);
        Assert.Equal(TimeSpan.FromMinutes(5), config.MetricsExpiration);
        Assert.Equal(80, config.ExponentialMaxSize);
        Assert.Equal(["lib.a"], config.IncludeInstrumentationScope);
    }

    [Fact]
    public void Bind_ExponentialWithoutMaxSize_UsesOtelcolDefault160()
    {
        var errors = new ConfigErrorList();
        var config = new SpanMetricsConfig();
        var section = Section(Map(("histogram", Map(("exponential", new ConfigMap())))), errors);

        config.Bind(section);
        section.Finish();

        Assert.False(errors.HasErrors, errors.ToString());
        Assert.Equal(160, config.ExponentialMaxSize);
    }

    [Fact]
    public void Defaults_MatchOtelcol()
    {
        var config = (SpanMetricsConfig)new SpanMetricsFactory().CreateDefaultConfig();

        Assert.Equal("traces.span.metrics", config.Namespace);
        Assert.Equal(TimeSpan.FromSeconds(60), config.MetricsFlushInterval);
        Assert.Equal("AGGREGATION_TEMPORALITY_CUMULATIVE", config.AggregationTemporality);
        Assert.Equal(TimeSpan.Zero, config.MetricsExpiration);
        Assert.Equal(0, config.AggregationCardinalityLimit);
        Assert.False(config.ExemplarsEnabled);
        Assert.Null(config.ExemplarsMaxPerDataPoint);
        Assert.False(config.EventsEnabled);
        Assert.Null(config.ExponentialMaxSize);
        Assert.Equal(1000, config.DimensionsCacheSize);
    }

    [Fact]
    public void Rejects_ExplicitAndExponentialTogether()
    {
        var errors = new ConfigErrorList();
        var histogram = Map(("explicit", Map(("buckets", new ConfigList([S("10ms")])))), ("exponential", Map(("max_size", S("10")))));
        var section = Section(Map(("histogram", histogram)), errors);

        new SpanMetricsConfig().Bind(section);

        Assert.Equal("connectors::spanmetrics::histogram: use either `explicit` or `exponential` buckets histogram.", Assert.Single(errors.Errors).ToString());
    }

    [Fact]
    public void Rejects_EventsEnabledWithoutDimensions()
    {
        var errors = new ConfigErrorList();

        new SpanMetricsConfig { EventsEnabled = true }.Validate(new ValidationErrors(errors, "connectors::spanmetrics"));

        Assert.Equal("connectors::spanmetrics::events: failed validating event dimensions: no dimensions configured for events.", Assert.Single(errors.Errors).ToString());
    }

    [Fact]
    public void Rejects_EventDimensionDuplicatingABuiltIn()
    {
        var errors = new ConfigErrorList();
        var config = new SpanMetricsConfig { EventsEnabled = true };
        config.EventDimensions.Add(("span.kind", null));

        config.Validate(new ValidationErrors(errors, "connectors::spanmetrics"));

        Assert.Equal("connectors::spanmetrics::events::dimensions: failed validating event dimensions: duplicate dimension name span.kind.", Assert.Single(errors.Errors).ToString());
    }

    [Fact]
    public void Rejects_DimensionsCacheSizeNotPositive()
    {
        var errors = new ConfigErrorList();

        new SpanMetricsConfig { DimensionsCacheSize = 0 }.Validate(new ValidationErrors(errors, "connectors::spanmetrics"));

        Assert.Equal("connectors::spanmetrics::dimensions_cache_size: invalid cache size: 0, the maximum number of the items in the cache should be positive.", Assert.Single(errors.Errors).ToString());
    }

    /// <summary>Checks base^index &lt; v ≤ base^(index+1) for the bucket each value was counted in, base = 2^(2^-scale).</summary>
    private static void AssertEachValueInItsBucket(ExponentialHistogramDataPoint point, double[] values)
    {
        double b = Math.Pow(2, Math.Pow(2, -point.Scale));
        var expected = new long[point.Positive.BucketCounts.Count];
        foreach (var v in values)
        {
            int index = ExponentialBuckets.IndexOf(v, point.Scale);
            Assert.InRange(index - point.Positive.Offset, 0, expected.Length - 1);
            Assert.True(Math.Pow(b, index) < v * (1 + 1e-9) && v <= Math.Pow(b, index + 1) * (1 + 1e-9), $"{v} not in bucket {index} at scale {point.Scale}");
            expected[index - point.Positive.Offset]++;
        }

        Assert.Equal(expected.Select(c => (ulong)c), point.Positive.BucketCounts);
    }

    internal readonly record struct EventSpec(string Name, string? ExceptionType);
}
