using OpenTelemetry.Proto.Metrics.V1;
using Pipeline.Receivers.Ebpf.Routes;
using Pipeline.Receivers.Ebpf.Tests.Tracking;
using Pipeline.Receivers.Ebpf.Tracking;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Spans;

public class MetricsTests
{
    private static readonly double[] SemconvBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    [Fact]
    public void ServerDurations_LandInSemconvBuckets_UpperInclusive()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);
        h.Handle(c.Open());

        foreach (double seconds in new[] { 0.003, 0.1, 0.1000001, 20 })
        {
            Exchange(h, c, "GET /items HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", (ulong)Math.Round(seconds * 1e9));
        }

        var metrics = h.Processor.CollectMetrics()!.Request;

        var metric = Assert.Single(Assert.Single(Assert.Single(metrics.ResourceMetrics).ScopeMetrics).Metrics);
        Assert.Equal("http.server.request.duration", metric.Name);
        Assert.Equal("s", metric.Unit);
        Assert.Equal(AggregationTemporality.Cumulative, metric.Histogram.AggregationTemporality);
        var point = Assert.Single(metric.Histogram.DataPoints);
        Assert.Equal(SemconvBounds, point.ExplicitBounds);
        Assert.Equal(new ulong[] { 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1 }, point.BucketCounts);
        Assert.Equal(4UL, point.Count);
        Assert.Equal(20.2030001, point.Sum, 6);
        Assert.Equal(0.003, point.Min, 9);
        Assert.Equal(20, point.Max, 9);
        Assert.Equal(
            new Dictionary<string, object>
            {
                ["http.request.method"] = "GET",
                ["http.route"] = "/items",
                ["http.response.status_code"] = 200L,
                ["url.scheme"] = "http",
            },
            ProcessorHarness.Attributes(point.Attributes));
    }

    [Fact]
    public void ClientAndServer_SeparateMetrics_ClientErrorsCarryErrorType_NoPathsOrAddresses()
    {
        var h = new ProcessorHarness();
        var server = h.Server(200);
        var client = h.Connection(200, 11, ConnectionRole.Client, "10.0.0.5", 43000, "10.0.0.7", 80);
        h.Handle(server.Open(), client.Open());

        Exchange(h, server, "GET /users/1 HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 1000);
        h.Handle(client.Write("PUT /users/2 HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), client.Read("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
        var scope = Assert.Single(Assert.Single(h.Processor.CollectMetrics()!.Request.ResourceMetrics).ScopeMetrics);

        Assert.Equal("pipeline.ebpf", scope.Scope.Name);
        Assert.Equal(["http.server.request.duration", "http.client.request.duration"], scope.Metrics.Select(m => m.Name));
        var clientPoint = Assert.Single(scope.Metrics[1].Histogram.DataPoints);
        Assert.Equal(
            new Dictionary<string, object>
            {
                ["http.request.method"] = "PUT",
                ["http.route"] = "/users/*",
                ["http.response.status_code"] = 404L,
                ["error.type"] = "404",
            },
            ProcessorHarness.Attributes(clientPoint.Attributes));
    }

    [Fact]
    public void Collect_IsCumulative_WithStableStartTime()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);
        h.Handle(c.Open());

        Exchange(h, c, "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 1000);
        var first = Point(h.Processor.CollectMetrics()!);
        h.Time.Advance(TimeSpan.FromSeconds(60));
        Exchange(h, c, "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 1000);
        var second = Point(h.Processor.CollectMetrics()!);

        Assert.Equal(1UL, first.Count);
        Assert.Equal(2UL, second.Count);
        Assert.Equal(first.StartTimeUnixNano, second.StartTimeUnixNano);
        Assert.Equal(first.TimeUnixNano + 60_000_000_000UL, second.TimeUnixNano);
    }

    [Fact]
    public void ProcessExit_SeriesReportedOnceMoreThenForgotten()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);
        h.Handle(c.Open());
        Exchange(h, c, "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 1000);

        h.Handle(new SocketEvent { Kind = SocketEventKind.ProcessExit, Tgid = 200, Tid = 200 });
        var last = h.Processor.CollectMetrics();
        var after = h.Processor.CollectMetrics();

        Assert.NotNull(last);
        Assert.Null(after);
    }

    [Theory]
    [InlineData("all", false, false)]
    [InlineData("traces", false, true)]
    [InlineData("metrics", true, false)]
    public void IgnoredPattern_DropsPerIgnoreMode(string mode, bool span, bool metric)
    {
        var h = new ProcessorHarness(new RoutesConfig { IgnoredPatterns = ["/health"], IgnoreMode = mode });
        var c = h.Server(200);

        h.Handle(c.Open(), c.Read("GET /health HTTP/1.1\r\n\r\n"), c.Write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

        Assert.Equal(span, h.TakeSpans().Count == 1);
        Assert.Equal(metric, h.Processor.CollectMetrics() is not null);
    }

    private static HistogramDataPoint Point(Pipeline.Telemetry.Metrics metrics) =>
        Assert.Single(Assert.Single(Assert.Single(Assert.Single(metrics.Request.ResourceMetrics).ScopeMetrics).Metrics).Histogram.DataPoints);

    /// <summary>A server exchange lasting exactly <paramref name="durationNs"/> from the read's entry to the write's exit.</summary>
    private static void Exchange(ProcessorHarness h, EventScript c, string request, string response, ulong durationNs)
    {
        var read = c.Read(request);
        h.Clock.Now = read.ExitTimestampNs + durationNs - 2_000; // a server's request starts when its read returns
        var write = c.Write(response);
        Assert.Equal(read.ExitTimestampNs + durationNs, write.ExitTimestampNs);
        h.Handle(read, write);
    }
}
