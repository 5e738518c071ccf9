using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Host.Tests.Cli;
using Pipeline.Telemetry.Otlp.Json;

namespace Pipeline.Host.Tests.SelfTelemetry;

/// <summary>
/// The collector run as users run it, with known numbers of spans, data points and log records sent — some dropped by a
/// filter processor, some refused because the only exporter of their pipeline cannot reach its backend — and then
/// <c>/metrics</c> scraped: every receiver, processor and exporter counter must equal what the file exporter wrote,
/// item by item, under otelcol's metric names and label names.
/// </summary>
public sealed class SelfMetricsEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Metrics_AfterKnownTraffic_EqualWhatTheFileExporterWrote()
    {
        using var collector = await SelfMetricsCollector.StartAsync();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{collector.GrpcPort}");
        using var refuseChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{collector.RefusePort}");
        using var http = new HttpClient();

        // 8 spans over gRPC (3 named drop-me), 3 over HTTP (1 drop-me).
        await new TraceService.TraceServiceClient(channel).ExportAsync(SelfMetricsCollector.Spans("grpc-a", "grpc-b", "drop-me", "grpc-c", "drop-me"));
        await new TraceService.TraceServiceClient(channel).ExportAsync(SelfMetricsCollector.Spans("drop-me", "grpc-d", "grpc-e"));
        using (var body = new ByteArrayContent(SelfMetricsCollector.Spans("http-a", "drop-me", "http-b").ToByteArray()))
        {
            body.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{collector.HttpPort}/v1/traces"), body);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        // 7 data points (2 with drop=yes), 6 log records (2 with body drop-me).
        await new MetricsService.MetricsServiceClient(channel).ExportAsync(SelfMetricsCollector.Points(["g1", "g2", "drop", "g3"], ["s1", "drop", "s2"]));
        await new LogsService.LogsServiceClient(channel).ExportAsync(SelfMetricsCollector.Records("l1", "drop-me", "l2", "l3", "drop-me", "l4"));

        // Refused: 4 spans, 3 points, 2 records whose exporter cannot send.
        var refusedTraces = await Assert.ThrowsAsync<RpcException>(async () => await new TraceService.TraceServiceClient(refuseChannel).ExportAsync(SelfMetricsCollector.Spans("r1", "r2", "r3", "r4")));
        var refusedMetrics = await Assert.ThrowsAsync<RpcException>(async () => await new MetricsService.MetricsServiceClient(refuseChannel).ExportAsync(SelfMetricsCollector.Points(["r1", "r2", "r3"], [])));
        var refusedLogs = await Assert.ThrowsAsync<RpcException>(async () => await new LogsService.LogsServiceClient(refuseChannel).ExportAsync(SelfMetricsCollector.Records("r1", "r2")));

        var written = await collector.WaitForFilesAsync(spans: 7, points: 5, records: 4);
        var m = PrometheusText.Parse(await collector.ScrapeAsync());

        Assert.Equal(StatusCode.Unavailable, refusedTraces.StatusCode);
        Assert.Equal(StatusCode.Unavailable, refusedMetrics.StatusCode);
        Assert.Equal(StatusCode.Unavailable, refusedLogs.StatusCode);

        // The file holds exactly what passed the filter.
        Assert.Equal(["grpc-a", "grpc-b", "grpc-c", "grpc-d", "grpc-e", "http-a", "http-b"], written.SpanNames.Order(StringComparer.Ordinal));
        Assert.Equal(["g1", "g2", "g3", "s1", "s2"], written.PointIds.Order(StringComparer.Ordinal));
        Assert.Equal(["l1", "l2", "l3", "l4"], written.RecordBodies.Order(StringComparer.Ordinal));

        // Receiver: accepted = everything the pipeline took (filtered items included, as otelcol counts), refused = the rest.
        Assert.Equal(8, m.Value("otelcol_receiver_accepted_spans", ("receiver", "otlp"), ("transport", "grpc")));
        Assert.Equal(3, m.Value("otelcol_receiver_accepted_spans", ("receiver", "otlp"), ("transport", "http")));
        Assert.Equal(7, m.Value("otelcol_receiver_accepted_metric_points", ("receiver", "otlp"), ("transport", "grpc")));
        Assert.Equal(6, m.Value("otelcol_receiver_accepted_log_records", ("receiver", "otlp"), ("transport", "grpc")));
        Assert.Equal(0, m.Value("otelcol_receiver_refused_spans", ("receiver", "otlp"), ("transport", "grpc")) ?? 0);
        Assert.Equal(4, m.Value("otelcol_receiver_refused_spans", ("receiver", "otlp/refuse"), ("transport", "grpc")));
        Assert.Equal(3, m.Value("otelcol_receiver_refused_metric_points", ("receiver", "otlp/refuse"), ("transport", "grpc")));
        Assert.Equal(2, m.Value("otelcol_receiver_refused_log_records", ("receiver", "otlp/refuse"), ("transport", "grpc")));
        Assert.Equal(0, m.Value("otelcol_receiver_accepted_spans", ("receiver", "otlp/refuse"), ("transport", "grpc")) ?? 0);

        // Processor: incoming = accepted, outgoing = written, filtered = the difference.
        Assert.Equal(11, m.Value("otelcol_processor_incoming_items", ("processor", "filter/drop"), ("otel_signal", "traces")));
        Assert.Equal(written.SpanNames.Count, m.Value("otelcol_processor_outgoing_items", ("processor", "filter/drop"), ("otel_signal", "traces")));
        Assert.Equal(7, m.Value("otelcol_processor_incoming_items", ("processor", "filter/drop"), ("otel_signal", "metrics")));
        Assert.Equal(written.PointIds.Count, m.Value("otelcol_processor_outgoing_items", ("processor", "filter/drop"), ("otel_signal", "metrics")));
        Assert.Equal(6, m.Value("otelcol_processor_incoming_items", ("processor", "filter/drop"), ("otel_signal", "logs")));
        Assert.Equal(written.RecordBodies.Count, m.Value("otelcol_processor_outgoing_items", ("processor", "filter/drop"), ("otel_signal", "logs")));
        Assert.Equal(4, m.Value("otelcol_processor_filter_spans_filtered", ("filter", "filter/drop")));
        Assert.Equal(2, m.Value("otelcol_processor_filter_datapoints_filtered", ("filter", "filter/drop")));
        Assert.Equal(2, m.Value("otelcol_processor_filter_logs_filtered", ("filter", "filter/drop")));

        // Exporters: sent = written, failed = refused.
        Assert.Equal(written.SpanNames.Count, m.Value("otelcol_exporter_sent_spans", ("exporter", "file/traces")));
        Assert.Equal(written.PointIds.Count, m.Value("otelcol_exporter_sent_metric_points", ("exporter", "file/metrics")));
        Assert.Equal(written.RecordBodies.Count, m.Value("otelcol_exporter_sent_log_records", ("exporter", "file/logs")));
        Assert.Equal(0, m.Value("otelcol_exporter_send_failed_spans", ("exporter", "file/traces")) ?? 0);
        Assert.Equal(4, m.Value("otelcol_exporter_send_failed_spans", ("exporter", "otlp_grpc/dead")));
        Assert.Equal(3, m.Value("otelcol_exporter_send_failed_metric_points", ("exporter", "otlp_grpc/dead")));
        Assert.Equal(2, m.Value("otelcol_exporter_send_failed_log_records", ("exporter", "otlp_grpc/dead")));
        Assert.Equal(0, m.Value("otelcol_exporter_sent_spans", ("exporter", "otlp_grpc/dead")) ?? 0);

        // Types as otelcol exposes them, and the process metrics.
        Assert.Equal("counter", m.Types["otelcol_receiver_accepted_spans"]);
        Assert.Equal("counter", m.Types["otelcol_processor_filter_spans_filtered"]);
        Assert.Equal("gauge", m.Types["otelcol_process_memory_rss"]);
        Assert.True(m.Value("otelcol_process_uptime") > 0);
        Assert.True(m.Value("otelcol_process_memory_rss") > 0);
    }
}

/// <summary>
/// A collector with otlp (gRPC + HTTP) → filter/drop → file/{traces,metrics,logs}, and otlp/refuse → otlp_grpc/dead
/// (nothing listens; no queue, no retry) for all three signals; /metrics on a free port. Shared by the Prometheus test.
/// </summary>
internal sealed class SelfMetricsCollector : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly HostProcess _host;

    private SelfMetricsCollector(HostProcess host, int grpcPort, int httpPort, int refusePort, int metricsPort, string outputPrefix)
    {
        _host = host;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        RefusePort = refusePort;
        MetricsPort = metricsPort;
        OutputPrefix = outputPrefix;
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public int RefusePort { get; }

    public int MetricsPort { get; }

    public string OutputPrefix { get; }

    public string Stderr => _host.Stderr;

    public static async Task<SelfMetricsCollector> StartAsync()
    {
        int grpcPort = HostProcess.FreePort();
        int httpPort = HostProcess.FreePort();
        int refusePort = HostProcess.FreePort();
        int deadPort = HostProcess.FreePort();
        int metricsPort = HostProcess.FreePort();
        string prefix = Path.Combine(Path.GetTempPath(), "pipeline-selfmetrics-" + Guid.NewGuid().ToString("N"));
        string config = HostProcess.WriteConfig($$"""
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:{{grpcPort}}
                  http:
                    endpoint: 127.0.0.1:{{httpPort}}
              otlp/refuse:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:{{refusePort}}
            processors:
              filter/drop:
                error_mode: ignore
                traces:
                  span:
                    - name == "drop-me"
                metrics:
                  datapoint:
                    - attributes["drop"] == "yes"
                logs:
                  log_record:
                    - body == "drop-me"
            exporters:
              file/traces:
                path: {{prefix}}-traces.json
                flush_interval: 10ms
              file/metrics:
                path: {{prefix}}-metrics.json
                flush_interval: 10ms
              file/logs:
                path: {{prefix}}-logs.json
                flush_interval: 10ms
              otlp_grpc/dead:
                endpoint: 127.0.0.1:{{deadPort}}
                tls:
                  insecure: true
                timeout: 2s
                retry_on_failure:
                  enabled: false
                sending_queue:
                  enabled: false
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [filter/drop]
                  exporters: [file/traces]
                metrics:
                  receivers: [otlp]
                  processors: [filter/drop]
                  exporters: [file/metrics]
                logs:
                  receivers: [otlp]
                  processors: [filter/drop]
                  exporters: [file/logs]
                traces/refuse:
                  receivers: [otlp/refuse]
                  exporters: [otlp_grpc/dead]
                metrics/refuse:
                  receivers: [otlp/refuse]
                  exporters: [otlp_grpc/dead]
                logs/refuse:
                  receivers: [otlp/refuse]
                  exporters: [otlp_grpc/dead]
              telemetry:
                metrics:
                  readers:
                    - pull:
                        exporter:
                          prometheus:
                            host: 127.0.0.1
                            port: {{metricsPort}}
            """);
        var host = HostProcess.Start("--config", config);
        if (!await host.WaitForStderrAsync("Everything is ready.", Bound))
        {
            string stderr = host.Stderr;
            host.Dispose();
            Assert.Fail("The collector did not start:\n" + stderr);
        }

        return new SelfMetricsCollector(host, grpcPort, httpPort, refusePort, metricsPort, prefix);
    }

    public static ExportTraceServiceRequest Spans(params string[] names)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "selfmetrics" } };
        byte n = 1;
        foreach (var name in names)
        {
            scope.Spans.Add(new Span
            {
                Name = name,
                TraceId = ByteString.CopyFrom([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
                SpanId = ByteString.CopyFrom([n++, 2, 3, 4, 5, 6, 7, 8]),
                StartTimeUnixNano = 1_700_000_000_000_000_000,
                EndTimeUnixNano = 1_700_000_000_100_000_000,
            });
        }

        var resource = new ResourceSpans { Resource = Resource() };
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    /// <summary>A gauge and a sum; each point carries <c>id</c>, and the ones whose id is "drop" carry drop=yes.</summary>
    public static ExportMetricsServiceRequest Points(string[] gaugeIds, string[] sumIds)
    {
        var gauge = new Gauge();
        foreach (var id in gaugeIds)
        {
            gauge.DataPoints.Add(Point(id));
        }

        var sum = new Sum { AggregationTemporality = AggregationTemporality.Cumulative, IsMonotonic = true };
        foreach (var id in sumIds)
        {
            sum.DataPoints.Add(Point(id));
        }

        var scope = new ScopeMetrics { Scope = new InstrumentationScope { Name = "selfmetrics" } };
        scope.Metrics.Add(new Metric { Name = "selfmetrics.gauge", Gauge = gauge });
        if (sumIds.Length > 0)
        {
            scope.Metrics.Add(new Metric { Name = "selfmetrics.sum", Sum = sum });
        }

        var resource = new ResourceMetrics { Resource = Resource() };
        resource.ScopeMetrics.Add(scope);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(resource);
        return request;

        static NumberDataPoint Point(string id)
        {
            var point = new NumberDataPoint { AsInt = 1, TimeUnixNano = 1_700_000_000_000_000_000 };
            point.Attributes.Add(new KeyValue { Key = "id", Value = new AnyValue { StringValue = id } });
            if (id == "drop")
            {
                point.Attributes.Add(new KeyValue { Key = "drop", Value = new AnyValue { StringValue = "yes" } });
            }

            return point;
        }
    }

    public static ExportLogsServiceRequest Records(params string[] bodies)
    {
        var scope = new ScopeLogs { Scope = new InstrumentationScope { Name = "selfmetrics" } };
        foreach (var body in bodies)
        {
            scope.LogRecords.Add(new LogRecord { Body = new AnyValue { StringValue = body }, TimeUnixNano = 1_700_000_000_000_000_000 });
        }

        var resource = new ResourceLogs { Resource = Resource() };
        resource.ScopeLogs.Add(scope);
        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(resource);
        return request;
    }

    public async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"));
    }

    /// <summary>Waits until the three files hold the given numbers of items, and returns what they hold.</summary>
    public async Task<WrittenItems> WaitForFilesAsync(int spans, int points, int records)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var written = ReadFiles();
            if ((written.SpanNames.Count >= spans && written.PointIds.Count >= points && written.RecordBodies.Count >= records) || DateTime.UtcNow > deadline)
            {
                return written;
            }

            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        _host.Signal("TERM");
        try
        {
            _host.WaitForExitAsync(Bound).GetAwaiter().GetResult();
        }
        finally
        {
            _host.Dispose();
            foreach (var suffix in (string[])["-traces.json", "-metrics.json", "-logs.json"])
            {
                File.Delete(OutputPrefix + suffix);
            }
        }
    }

    private WrittenItems ReadFiles()
    {
        var written = new WrittenItems();
        foreach (var line in Lines(OutputPrefix + "-traces.json"))
        {
            foreach (var rs in OtlpJson.ParseTraces(System.Text.Encoding.UTF8.GetBytes(line)).ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    foreach (var span in ss.Spans)
                    {
                        written.SpanNames.Add(span.Name);
                    }
                }
            }
        }

        foreach (var line in Lines(OutputPrefix + "-metrics.json"))
        {
            foreach (var rm in OtlpJson.ParseMetrics(System.Text.Encoding.UTF8.GetBytes(line)).ResourceMetrics)
            {
                foreach (var sm in rm.ScopeMetrics)
                {
                    foreach (var metric in sm.Metrics)
                    {
                        var points = metric.DataCase == Metric.DataOneofCase.Gauge ? metric.Gauge.DataPoints : metric.Sum.DataPoints;
                        foreach (var point in points)
                        {
                            written.PointIds.Add(point.Attributes.Single(a => a.Key == "id").Value.StringValue);
                        }
                    }
                }
            }
        }

        foreach (var line in Lines(OutputPrefix + "-logs.json"))
        {
            foreach (var rl in OtlpJson.ParseLogs(System.Text.Encoding.UTF8.GetBytes(line)).ResourceLogs)
            {
                foreach (var sl in rl.ScopeLogs)
                {
                    foreach (var record in sl.LogRecords)
                    {
                        written.RecordBodies.Add(record.Body.StringValue);
                    }
                }
            }
        }

        return written;
    }

    private static List<string> Lines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        // Only complete lines: the writer may be mid-flush.
        string text;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }

        int end = text.LastIndexOf('\n');
        return end < 0 ? [] : [.. text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static Resource Resource()
    {
        var resource = new Resource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "selfmetrics" } });
        return resource;
    }

    internal sealed class WrittenItems
    {
        public List<string> SpanNames { get; } = [];

        public List<string> PointIds { get; } = [];

        public List<string> RecordBodies { get; } = [];
    }
}
