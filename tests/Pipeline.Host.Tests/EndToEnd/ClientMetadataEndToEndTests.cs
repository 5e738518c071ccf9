using System.Diagnostics;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pipeline.Host.Tests.Cli;
using Pipeline.Telemetry.Otlp.Json;

namespace Pipeline.Host.Tests.EndToEnd;

/// <summary>
/// Client metadata through the collector run as users run it: two OpenTelemetry SDK clients send spans with header
/// <c>X-Tenant: a</c> / <c>b</c>, interleaved, to otlp(include_metadata) → batch(metadata_keys: [x-tenant]) →
/// attributes(from_context: metadata.x-tenant) → file. Every span must carry its own tenant and no written batch may
/// hold spans of both.
/// </summary>
public sealed class ClientMetadataEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task SdkSpansWithTenantHeader_TaggedWithTheirTenantAndNeverBatchedTogether(OtlpExportProtocol protocol)
    {
        int grpcPort = HostProcess.FreePort();
        int httpPort = HostProcess.FreePort();
        string output = Path.Combine(Path.GetTempPath(), "pipeline-metadata-" + Guid.NewGuid().ToString("N") + ".json");
        string config = HostProcess.WriteConfig($$"""
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:{{grpcPort}}
                    include_metadata: true
                  http:
                    endpoint: 127.0.0.1:{{httpPort}}
                    include_metadata: true
            processors:
              batch:
                timeout: 300ms
                send_batch_size: 1000
                metadata_keys: [X-Tenant]
                metadata_cardinality_limit: 10
              attributes:
                actions:
                  - {key: tenant, from_context: metadata.x-tenant, action: insert}
            exporters:
              file:
                path: {{output}}
                flush_interval: 10ms
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [batch, attributes]
                  exporters: [file]
              telemetry:
                metrics:
                  level: none
            """);
        using var host = HostProcess.Start("--config", config);
        Assert.True(await host.WaitForStderrAsync("Everything is ready.", Bound), host.Stderr);
        var endpoint = protocol == OtlpExportProtocol.Grpc ? new Uri($"http://127.0.0.1:{grpcPort}") : new Uri($"http://127.0.0.1:{httpPort}/v1/traces");
        string sourceA = "e2e.tenant.a." + protocol;
        string sourceB = "e2e.tenant.b." + protocol;
        const int PerTenant = 10;

        using (var providerA = Provider(sourceA, "a", endpoint, protocol))
        using (var providerB = Provider(sourceB, "b", endpoint, protocol))
        using (var a = new ActivitySource(sourceA))
        using (var b = new ActivitySource(sourceB))
        {
            // Simple export: one request per span, alternating tenants, all well inside one batch timeout.
            for (int i = 0; i < PerTenant; i++)
            {
                a.StartActivity("a-" + i, ActivityKind.Server)!.Dispose();
                b.StartActivity("b-" + i, ActivityKind.Server)!.Dispose();
            }

            providerA.ForceFlush();
            providerB.ForceFlush();
        }

        var lines = await WaitForSpansAsync(output, 2 * PerTenant);
        host.Signal("TERM");
        Assert.Equal(0, await host.WaitForExitAsync(Bound));

        var batches = lines.Select(l => OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(l)).ResourceSpans
            .SelectMany(rs => rs.ScopeSpans).SelectMany(ss => ss.Spans).ToList()).ToList();
        var spans = batches.SelectMany(s => s).ToList();
        Assert.Equal(2 * PerTenant, spans.Count);
        foreach (var span in spans)
        {
            Assert.Equal(span.Name[..1], Tenant(span.Attributes));
        }

        foreach (var batch in batches)
        {
            Assert.Single(batch.Select(s => Tenant(s.Attributes)).Distinct());
        }

        // Both tenants were batched (fewer writes than requests), each on its own.
        Assert.True(batches.Count < spans.Count, $"{batches.Count} batches for {spans.Count} spans");
    }

    private static TracerProvider Provider(string source, string tenant, Uri endpoint, OtlpExportProtocol protocol) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("tenant-" + tenant))
            .AddSource(source)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = endpoint;
                o.Protocol = protocol;
                o.Headers = "X-Tenant=" + tenant;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build()!;

    private static string? Tenant(IEnumerable<KeyValue> attributes) =>
        attributes.SingleOrDefault(a => a.Key == "tenant")?.Value.StringValue;

    private static async Task<List<string>> WaitForSpansAsync(string path, int spans)
    {
        var deadline = DateTime.UtcNow + Bound;
        List<string> lines = [];
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

                // Only whole lines: the exporter may be mid-write.
                int end = text.LastIndexOf('\n');
                lines = end < 0 ? [] : [.. text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries)];
                int count = lines.Sum(l => OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(l)).ResourceSpans.SelectMany(rs => rs.ScopeSpans).Sum(ss => ss.Spans.Count));
                if (count >= spans)
                {
                    return lines;
                }
            }

            await Task.Delay(50);
        }

        return lines;
    }
}
