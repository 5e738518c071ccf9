using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pipeline.Host.Tests.Cli;
using Pipeline.Telemetry.Otlp.Json;

namespace Pipeline.Host.Tests.EndToEnd;

/// <summary>
/// A real client — the OpenTelemetry .NET SDK with its OTLP exporter — sending traces, metrics and logs over gRPC and
/// HTTP/protobuf to the collector run as users run it, with the file exporter's OTLP/JSON lines checked item by item.
/// Also collector A exporting to collector B with otlp_grpc and otlp_http.
/// </summary>
public sealed class SdkEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static async Task<(HostProcess Host, int GrpcPort, int HttpPort, string Output)> StartCollectorAsync()
    {
        int grpcPort = HostProcess.FreePort();
        int httpPort = HostProcess.FreePort();
        string output = Path.Combine(Path.GetTempPath(), "pipeline-sdk-" + Guid.NewGuid().ToString("N") + ".json");
        string config = HostProcess.WriteConfig($$"""
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:{{grpcPort}}
                  http:
                    endpoint: 127.0.0.1:{{httpPort}}
            processors:
              batch:
                timeout: 20ms
            exporters:
              file:
                path: {{output}}
                flush_interval: 10ms
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [batch]
                  exporters: [file]
                metrics:
                  receivers: [otlp]
                  processors: [batch]
                  exporters: [file]
                logs:
                  receivers: [otlp]
                  processors: [batch]
                  exporters: [file]
              telemetry:
                metrics:
                  level: none
            """);
        var host = HostProcess.Start("--config", config);
        Assert.True(await host.WaitForStderrAsync("Everything is ready.", Bound), host.Stderr);
        return (host, grpcPort, httpPort, output);
    }

    private static async Task<List<string>> WaitForLinesAsync(string path, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path))
            {
                string text;
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
                using (var reader = new StreamReader(stream))
                {
                    text = await reader.ReadToEndAsync();
                }

                if (done(text))
                {
                    return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
                }
            }

            await Task.Delay(50);
        }

        return [];
    }

    private static AnyValue Attribute(IEnumerable<KeyValue> attributes, string key) => attributes.Single(a => a.Key == key).Value;

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task SdkTraces_ReachTheFileItemByItem(OtlpExportProtocol protocol)
    {
        var (host, grpcPort, httpPort, output) = await StartCollectorAsync();
        using var _ = host;
        string sourceName = "e2e.sdk." + protocol;
        var endpoint = protocol == OtlpExportProtocol.Grpc ? new Uri($"http://127.0.0.1:{grpcPort}") : new Uri($"http://127.0.0.1:{httpPort}/v1/traces");
        ActivityTraceId traceId;
        ActivitySpanId spanId;
        ActivityContext linked = new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("sdk-e2e-service"))
            .AddSource(sourceName)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = endpoint;
                o.Protocol = protocol;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build())
        {
            using var source = new ActivitySource(sourceName, "1.2.3");
            using (var activity = source.StartActivity("checkout", ActivityKind.Server, default(ActivityContext), links: [new ActivityLink(linked)])!)
            {
                activity.SetTag("app.string", "s");
                activity.SetTag("app.bool", true);
                activity.SetTag("app.int", 42L);
                activity.SetTag("app.double", 1.5);
                activity.SetTag("app.array", new[] { "a", "b" });
                activity.AddEvent(new ActivityEvent("cache.miss", tags: new ActivityTagsCollection { ["key"] = "k1" }));
                activity.SetStatus(ActivityStatusCode.Error, "boom");
                traceId = activity.TraceId;
                spanId = activity.SpanId;
            }

            provider.ForceFlush();
        }

        var lines = await WaitForLinesAsync(output, text => text.Contains("checkout", StringComparison.Ordinal));
        host.Signal("TERM");
        Assert.Equal(0, await host.WaitForExitAsync(Bound));

        var spans = lines.Select(l => OtlpJson.ParseTraces(System.Text.Encoding.UTF8.GetBytes(l)))
            .SelectMany(r => r.ResourceSpans)
            .SelectMany(rs => rs.ScopeSpans.SelectMany(ss => ss.Spans.Select(s => (rs.Resource, ss.Scope, Span: s))))
            .ToList();
        var (resource, scope, span) = Assert.Single(spans);
        Assert.Equal("sdk-e2e-service", Attribute(resource.Attributes, "service.name").StringValue);
        Assert.Equal(sourceName, scope.Name);
        Assert.Equal("1.2.3", scope.Version);
        Assert.Equal(traceId.ToHexString(), Convert.ToHexStringLower(span.TraceId.Span));
        Assert.Equal(spanId.ToHexString(), Convert.ToHexStringLower(span.SpanId.Span));
        Assert.Equal(Span.Types.SpanKind.Server, span.Kind);
        Assert.Equal("s", Attribute(span.Attributes, "app.string").StringValue);
        Assert.True(Attribute(span.Attributes, "app.bool").BoolValue);
        Assert.Equal(42, Attribute(span.Attributes, "app.int").IntValue);
        Assert.Equal(1.5, Attribute(span.Attributes, "app.double").DoubleValue);
        Assert.Equal(["a", "b"], Attribute(span.Attributes, "app.array").ArrayValue.Values.Select(v => v.StringValue));
        var ev = Assert.Single(span.Events);
        Assert.Equal("cache.miss", ev.Name);
        Assert.Equal("k1", Attribute(ev.Attributes, "key").StringValue);
        var link = Assert.Single(span.Links);
        Assert.Equal(linked.TraceId.ToHexString(), Convert.ToHexStringLower(link.TraceId.Span));
        Assert.Equal(OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode.Error, span.Status.Code);
        Assert.Equal("boom", span.Status.Message);
        Assert.True(span.EndTimeUnixNano >= span.StartTimeUnixNano && span.StartTimeUnixNano > 0);
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task SdkMetricsAndLogs_ReachTheFile(OtlpExportProtocol protocol)
    {
        var (host, grpcPort, httpPort, output) = await StartCollectorAsync();
        using var _ = host;
        string meterName = "e2e.meter." + protocol;
        Uri Endpoint(string signal) => protocol == OtlpExportProtocol.Grpc ? new Uri($"http://127.0.0.1:{grpcPort}") : new Uri($"http://127.0.0.1:{httpPort}/v1/{signal}");
        using (var meterProvider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(meterName)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = Endpoint("metrics");
                o.Protocol = protocol;
            })
            .Build())
        {
            using var meter = new Meter(meterName);
            var counter = meter.CreateCounter<long>("e2e.orders");
            counter.Add(3, new KeyValuePair<string, object?>("tenant", "acme"));
            counter.Add(4, new KeyValuePair<string, object?>("tenant", "acme"));
            meterProvider.ForceFlush();
        }

        using (var loggers = LoggerFactory.Create(b => b.AddOpenTelemetry(o => o.AddOtlpExporter(e =>
        {
            e.Endpoint = Endpoint("logs");
            e.Protocol = protocol;
        }))))
        {
            loggers.CreateLogger("e2e").LogWarning("Order {OrderId} shipped", 1234);
        }

        var lines = await WaitForLinesAsync(output, text => text.Contains("e2e.orders", StringComparison.Ordinal) && text.Contains("1234", StringComparison.Ordinal));
        host.Signal("TERM");
        Assert.Equal(0, await host.WaitForExitAsync(Bound));

        // The SDK exports on ForceFlush and again when the provider is disposed; the counter is cumulative, so
        // every export carries the same total.
        var metricLines = lines.FindAll(l => l.Contains("resourceMetrics", StringComparison.Ordinal) && l.Contains("e2e.orders", StringComparison.Ordinal));
        Assert.NotEmpty(metricLines);
        var metrics = metricLines.SelectMany(l => OtlpJson.ParseMetrics(System.Text.Encoding.UTF8.GetBytes(l)).ResourceMetrics)
            .SelectMany(r => r.ScopeMetrics).SelectMany(s => s.Metrics).Where(m => m.Name == "e2e.orders").ToList();
        Assert.NotEmpty(metrics);
        foreach (var metric in metrics)
        {
            var point = Assert.Single(metric.Sum.DataPoints);
            Assert.Equal(7, point.AsInt);
            Assert.Equal("acme", Attribute(point.Attributes, "tenant").StringValue);
            Assert.True(metric.Sum.IsMonotonic);
        }

        var logLine = Assert.Single(lines, l => l.Contains("resourceLogs", StringComparison.Ordinal));
        var record = OtlpJson.ParseLogs(System.Text.Encoding.UTF8.GetBytes(logLine)).ResourceLogs
            .SelectMany(r => r.ScopeLogs).SelectMany(s => s.LogRecords).Single();
        Assert.Equal(OpenTelemetry.Proto.Logs.V1.SeverityNumber.Warn, record.SeverityNumber);
        Assert.Equal(1234, Attribute(record.Attributes, "OrderId").IntValue);
    }

    [Theory]
    [InlineData("otlp_grpc", "grpc")]
    [InlineData("otlp_http", "http")]
    public async Task CollectorA_ExportsTo_CollectorB(string exporterType, string protocol)
    {
        var (b, bGrpc, bHttp, output) = await StartCollectorAsync();
        using var _ = b;
        int aPort = HostProcess.FreePort();
        string target = protocol == "grpc" ? $"127.0.0.1:{bGrpc}" : $"http://127.0.0.1:{bHttp}";
        string aConfig = HostProcess.WriteConfig($$"""
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:{{aPort}}
            processors:
              batch:
                timeout: 20ms
            exporters:
              {{exporterType}}:
                endpoint: {{target}}
                tls:
                  insecure: true
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [batch]
                  exporters: [{{exporterType}}]
              telemetry:
                metrics:
                  level: none
            """);
        using var a = HostProcess.Start("--config", aConfig);
        Assert.True(await a.WaitForStderrAsync("Everything is ready.", Bound), a.Stderr);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{aPort}");
        var client = new TraceService.TraceServiceClient(channel);
        var request = new ExportTraceServiceRequest();
        var scopeSpans = new ScopeSpans();
        for (int i = 0; i < 50; i++)
        {
            scopeSpans.Spans.Add(new Span { Name = "a-to-b-" + i, TraceId = Google.Protobuf.ByteString.CopyFrom(new byte[16] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte)i }), SpanId = Google.Protobuf.ByteString.CopyFrom(new byte[8] { 1, 1, 1, 1, 1, 1, 1, (byte)i }) });
        }

        request.ResourceSpans.Add(new ResourceSpans { ScopeSpans = { scopeSpans } });

        await client.ExportAsync(request);
        var lines = await WaitForLinesAsync(output, text => text.Contains("a-to-b-49", StringComparison.Ordinal));
        a.Signal("TERM");
        b.Signal("TERM");
        Assert.Equal(0, await a.WaitForExitAsync(Bound));
        Assert.Equal(0, await b.WaitForExitAsync(Bound));

        var names = lines.SelectMany(l => OtlpJson.ParseTraces(System.Text.Encoding.UTF8.GetBytes(l)).ResourceSpans)
            .SelectMany(rs => rs.ScopeSpans).SelectMany(ss => ss.Spans).Select(s => s.Name).ToList();
        Assert.Equal(50, names.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => "a-to-b-" + i).Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }
}
