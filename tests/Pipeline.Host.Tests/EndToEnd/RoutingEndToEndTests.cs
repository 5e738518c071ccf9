using System.Text.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Host.Tests.Cli;

namespace Pipeline.Host.Tests.EndToEnd;

/// <summary>
/// config/examples/routing-tenants.yaml through the real collector: OTLP in, the routing connector splits by the
/// resource attribute "tenant" into one file exporter per tenant, everything else into the default pipeline's file.
/// Only the addresses and file paths are changed, with <c>--set</c>.
/// </summary>
public sealed class RoutingEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RoutingExample_SpansOfEachTenantInTheirFile_RestInDefault()
    {
        int port = HostProcess.FreePort();
        string dir = Path.Combine(Path.GetTempPath(), "pipeline-routing-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string acme = Path.Combine(dir, "acme.json");
        string ecorp = Path.Combine(dir, "ecorp.json");
        string other = Path.Combine(dir, "other.json");
        string example = Path.Combine(RepoPaths.Root, "config", "examples", "routing-tenants.yaml");
        using var host = HostProcess.Start(
            "--config", example,
            "--set", $"receivers.otlp.protocols.grpc.endpoint=127.0.0.1:{port}",
            "--set", $"exporters.file/acme.path={acme}",
            "--set", $"exporters.file/ecorp.path={ecorp}",
            "--set", $"exporters.file/other.path={other}",
            "--set", "service.telemetry.metrics.level=none");
        Assert.True(await host.WaitForStderrAsync("Everything is ready.", Bound), host.Stderr);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new TraceService.TraceServiceClient(channel);

        await client.ExportAsync(Request(("acme", ["a1", "a2"]), ("ecorp", ["e1"]), ("initech", ["i1"]), (null, ["n1"])));
        await client.ExportAsync(Request(("ecorp", ["e2"]), ("acme", ["a3"])));
        host.Signal("TERM");
        int code = await host.WaitForExitAsync(Bound);

        Assert.Equal(0, code);
        Assert.Equal(["acme:a1", "acme:a2", "acme:a3"], Spans(acme));
        Assert.Equal(["ecorp:e1", "ecorp:e2"], Spans(ecorp));
        Assert.Equal(["-:n1", "initech:i1"], Spans(other));
    }

    [Fact]
    public async Task RouteToPipelineNotFedByTheConnector_FailsAtStartWithOtelcolText()
    {
        int port = HostProcess.FreePort();
        string config = HostProcess.WriteConfig($$"""
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:{{port}}
            connectors:
              routing:
                table:
                  - condition: attributes["tenant"] == "acme"
                    pipelines: [traces/nowhere]
            exporters:
              nop:
            service:
              pipelines:
                traces/in:
                  receivers: [otlp]
                  exporters: [routing]
                traces/acme:
                  receivers: [routing]
                  exporters: [nop]
              telemetry:
                metrics:
                  level: none
            """);

        var (code, _, stderr) = await HostProcess.RunAsync(Bound, "--config", config);

        Assert.Equal(1, code);
        Assert.Contains("failed to create \"routing\" connector for data type \"traces\" to \"traces\": pipeline not found: missing consumer: \"traces/nowhere\"", stderr, StringComparison.Ordinal);
    }

    /// <summary>"tenant:span" for every span in an OTLP/JSON lines file, sorted.</summary>
    private static List<string> Spans(string path)
    {
        var result = new List<string>();
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            foreach (var rs in doc.RootElement.GetProperty("resourceSpans").EnumerateArray())
            {
                string tenant = "-";
                if (rs.TryGetProperty("resource", out var resource) && resource.TryGetProperty("attributes", out var attributes))
                {
                    foreach (var a in attributes.EnumerateArray())
                    {
                        if (a.GetProperty("key").GetString() == "tenant")
                        {
                            tenant = a.GetProperty("value").GetProperty("stringValue").GetString()!;
                        }
                    }
                }

                foreach (var ss in rs.GetProperty("scopeSpans").EnumerateArray())
                {
                    foreach (var span in ss.GetProperty("spans").EnumerateArray())
                    {
                        result.Add(tenant + ":" + span.GetProperty("name").GetString());
                    }
                }
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private static ExportTraceServiceRequest Request(params (string? Tenant, string[] Spans)[] resources)
    {
        var request = new ExportTraceServiceRequest();
        byte n = 1;
        foreach (var (tenant, spans) in resources)
        {
            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "routing-e2e" } };
            foreach (string name in spans)
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

            var resource = new Resource();
            resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "svc" } });
            if (tenant is not null)
            {
                resource.Attributes.Add(new KeyValue { Key = "tenant", Value = new AnyValue { StringValue = tenant } });
            }

            request.ResourceSpans.Add(new ResourceSpans { Resource = resource, ScopeSpans = { scope } });
        }

        return request;
    }
}
