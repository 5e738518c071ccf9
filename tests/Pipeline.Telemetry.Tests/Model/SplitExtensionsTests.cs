using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Xunit;

namespace Pipeline.Telemetry.Tests.Model;

public sealed class SplitExtensionsTests
{
    [Fact]
    public void SplitByItems_WithinLimit_ReturnsSameBatchUndecoded()
    {
        var batch = Traces.FromEncoded(TwoResourcesOfSpans(3, 2).ToByteArray());

        var parts = batch.SplitByItems(5);

        Assert.Same(batch, Assert.Single(parts));
        Assert.True(batch.IsEncodedOnly);
    }

    [Fact]
    public void SplitByItems_Traces_PartsAtMostMaxInOrderWithResourceAndScope()
    {
        var request = TwoResourcesOfSpans(3, 4);

        var parts = Traces.FromRequest(request.Clone()).SplitByItems(2);

        Assert.Equal([2, 2, 2, 1], Counts(parts));
        Assert.Equal(["r0s0", "r0s1", "r0s2", "r1s0", "r1s1", "r1s2", "r1s3"], SpanNames(parts));

        // The part straddling the two resources holds both, each with its own resource and scope.
        var straddling = parts[1].Request;
        Assert.Equal(2, straddling.ResourceSpans.Count);
        Assert.Equal(request.ResourceSpans[0].Resource, straddling.ResourceSpans[0].Resource);
        Assert.Equal(request.ResourceSpans[1].Resource, straddling.ResourceSpans[1].Resource);
        Assert.Equal("schema-r1", straddling.ResourceSpans[1].SchemaUrl);
        Assert.Equal(request.ResourceSpans[1].ScopeSpans[0].Scope, straddling.ResourceSpans[1].ScopeSpans[0].Scope);
        Assert.Equal("scope-schema-r1", straddling.ResourceSpans[1].ScopeSpans[0].SchemaUrl);
        foreach (var part in parts)
        {
            Assert.NotNull(part.Request.ResourceSpans[0].Resource);
        }
    }

    [Fact]
    public void SplitByItems_ReadOnlyInput_IsLeftUntouchedAndPartsAreIndependent()
    {
        var request = TwoResourcesOfSpans(2, 2);
        var batch = Traces.FromRequest(request.Clone());
        batch.MarkReadOnly();

        var parts = batch.SplitByItems(1);
        parts[0].GetMutableRequest().ResourceSpans[0].ScopeSpans[0].Spans[0].Name = "changed";
        parts[0].GetMutableRequest().ResourceSpans[0].Resource.Attributes.Clear();

        Assert.Equal(4, parts.Count);
        Assert.Equal(request, batch.Request);
    }

    [Fact]
    public void SplitByItems_Logs_PartsAtMostMaxInOrder()
    {
        var request = new ExportLogsServiceRequest();
        for (int r = 0; r < 2; r++)
        {
            var sl = new ScopeLogs { Scope = new InstrumentationScope { Name = "scope" + r } };
            for (int i = 0; i < 5; i++)
            {
                sl.LogRecords.Add(new LogRecord { Body = new AnyValue { StringValue = $"r{r}l{i}" } });
            }

            request.ResourceLogs.Add(new ResourceLogs { Resource = Resource("r" + r), ScopeLogs = { sl } });
        }

        var parts = Logs.FromRequest(request).SplitByItems(3);

        Assert.Equal([3, 3, 3, 1], Counts(parts));
        var bodies = new List<string>();
        foreach (var part in parts)
        {
            foreach (var rl in part.Request.ResourceLogs)
            {
                Assert.Equal(rl.ScopeLogs[0].Scope.Name[^1], rl.Resource.Attributes[0].Value.StringValue[^1]);
                foreach (var sl in rl.ScopeLogs)
                {
                    foreach (var log in sl.LogRecords)
                    {
                        bodies.Add(log.Body.StringValue);
                    }
                }
            }
        }

        Assert.Equal(["r0l0", "r0l1", "r0l2", "r0l3", "r0l4", "r1l0", "r1l1", "r1l2", "r1l3", "r1l4"], bodies);
    }

    [Fact]
    public void SplitByItems_Metrics_SplitsDataPointsKeepingMetricIdentity()
    {
        var sum = new Metric
        {
            Name = "requests",
            Description = "d",
            Unit = "1",
            Metadata = { new KeyValue { Key = "m", Value = new AnyValue { StringValue = "v" } } },
            Sum = new Sum { AggregationTemporality = AggregationTemporality.Cumulative, IsMonotonic = true },
        };
        for (int i = 0; i < 5; i++)
        {
            sum.Sum.DataPoints.Add(new NumberDataPoint { AsInt = i });
        }

        var histogram = new Metric { Name = "latency", Histogram = new Histogram { AggregationTemporality = AggregationTemporality.Delta } };
        histogram.Histogram.DataPoints.Add(new HistogramDataPoint { Count = 1 });
        histogram.Histogram.DataPoints.Add(new HistogramDataPoint { Count = 2 });
        var request = new ExportMetricsServiceRequest
        {
            ResourceMetrics =
            {
                new ResourceMetrics
                {
                    Resource = Resource("r"),
                    ScopeMetrics = { new ScopeMetrics { Scope = new InstrumentationScope { Name = "s" }, Metrics = { sum, new Metric { Name = "empty", Gauge = new Gauge() }, histogram } } },
                },
            },
        };

        var parts = Metrics.FromRequest(request.Clone()).SplitByItems(3);

        Assert.Equal([3, 3, 1], Counts(parts));
        var first = parts[0].Request.ResourceMetrics[0].ScopeMetrics[0].Metrics;
        var second = parts[1].Request.ResourceMetrics[0].ScopeMetrics[0].Metrics;
        var third = parts[2].Request.ResourceMetrics[0].ScopeMetrics[0].Metrics;
        Assert.Equal(["requests"], Names(first));
        Assert.Equal(["requests", "empty", "latency"], Names(second));
        Assert.Equal(["latency"], Names(third));
        foreach (var metric in new[] { first[0], second[0] })
        {
            Assert.Equal("d", metric.Description);
            Assert.Equal("1", metric.Unit);
            Assert.Equal(sum.Metadata, metric.Metadata);
            Assert.Equal(AggregationTemporality.Cumulative, metric.Sum.AggregationTemporality);
            Assert.True(metric.Sum.IsMonotonic);
        }

        Assert.Equal([0L, 1L, 2L], [.. first[0].Sum.DataPoints.Select(p => p.AsInt)]);
        Assert.Equal([3L, 4L], [.. second[0].Sum.DataPoints.Select(p => p.AsInt)]);
        Assert.Equal(1UL, second[2].Histogram.DataPoints.Single().Count);
        Assert.Equal(AggregationTemporality.Delta, third[0].Histogram.AggregationTemporality);
        Assert.Equal(2UL, third[0].Histogram.DataPoints.Single().Count);
        Assert.Equal(request.ResourceMetrics[0].Resource, parts[2].Request.ResourceMetrics[0].Resource);
        Assert.Equal("s", parts[2].Request.ResourceMetrics[0].ScopeMetrics[0].Scope.Name);
    }

    [Fact]
    public void SplitByItems_ThenConcat_GivesBackTheSameItems()
    {
        var request = SampleData.Metrics();

        var parts = Metrics.FromRequest(request.Clone()).SplitByItems(2);
        var joined = Metrics.Concat(parts);

        Assert.All(parts, p => Assert.True(p.ItemCount <= 2));
        Assert.Equal(Metrics.FromRequest(request).ItemCount, joined.ItemCount);
    }

    [Fact]
    public void SplitByItems_ZeroMax_Throws()
    {
        var batch = Logs.FromRequest(new ExportLogsServiceRequest());

        Assert.Throws<ArgumentOutOfRangeException>(() => batch.SplitByItems(0));
    }

    private static ExportTraceServiceRequest TwoResourcesOfSpans(int first, int second)
    {
        var request = new ExportTraceServiceRequest();
        int[] counts = [first, second];
        for (int r = 0; r < 2; r++)
        {
            var ss = new ScopeSpans { Scope = new InstrumentationScope { Name = "scope" + r, Version = "1" }, SchemaUrl = "scope-schema-r" + r };
            for (int i = 0; i < counts[r]; i++)
            {
                ss.Spans.Add(new Span { Name = $"r{r}s{i}", SpanId = ByteString.CopyFrom((byte)r, (byte)i, 0, 0, 0, 0, 0, 1) });
            }

            request.ResourceSpans.Add(new ResourceSpans { Resource = Resource("r" + r), SchemaUrl = "schema-r" + r, ScopeSpans = { ss } });
        }

        return request;
    }

    private static Resource Resource(string name) => new()
    {
        Attributes = { new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = name } } },
    };

    private static int[] Counts<T>(IReadOnlyList<T> parts)
        where T : TelemetryData => [.. parts.Select(p => p.ItemCount)];

    private static List<string> SpanNames(IReadOnlyList<Traces> parts)
    {
        var names = new List<string>();
        foreach (var part in parts)
        {
            foreach (var rs in part.Request.ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    names.AddRange(ss.Spans.Select(s => s.Name));
                }
            }
        }

        return names;
    }

    private static string[] Names(IEnumerable<Metric> metrics) => [.. metrics.Select(m => m.Name)];
}
