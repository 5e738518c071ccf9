using Google.Protobuf;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Host.Tests.Cli;

namespace Pipeline.Host.Tests.EndToEnd;

/// <summary>
/// config/examples/oneuptime.yaml, the seed article's collector (otlp → batch → resource → otlp with the token header
/// from <c>${ONEUPTIME_TOKEN}</c>), run from the file as written. Only addresses are changed, with <c>--set</c>: the
/// receiver's and self-telemetry's ports (so parallel tests do not collide) and the exporter's endpoint (an in-test
/// OTLP/gRPC backend without TLS).
/// </summary>
public sealed class SeedConfigTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OneUptimeExample_AsWritten_BackendGetsSpansWithResourceAttributesAndTokenFromEnvironment()
    {
        await using var backend = await OtlpGrpcBackend.StartAsync(keepRequests: true);
        int grpcPort = HostProcess.FreePort();
        int httpPort = HostProcess.FreePort();
        string token = "token-" + Guid.NewGuid().ToString("N");
        string example = Path.Combine(RepoPaths.Root, "config", "examples", "oneuptime.yaml");
        using var host = HostProcess.Start(
            new Dictionary<string, string> { ["ONEUPTIME_TOKEN"] = token },
            "--config", example,
            "--set", $"receivers.otlp.protocols.grpc.endpoint=127.0.0.1:{grpcPort}",
            "--set", $"receivers.otlp.protocols.http.endpoint=127.0.0.1:{httpPort}",
            "--set", $"exporters.otlp.endpoint=127.0.0.1:{backend.Port}",
            "--set", "exporters.otlp.tls.insecure=true",
            "--set", "service.telemetry.metrics.level=none");
        Assert.True(await host.WaitForStderrAsync("Everything is ready.", Bound), host.Stderr);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");

        await new TraceService.TraceServiceClient(channel).ExportAsync(Request("checkout", "charge-card"));
        bool arrived = await PollAsync(() => SpanNames(backend.Service).Count == 2);
        host.Signal("TERM");
        int code = await host.WaitForExitAsync(Bound);

        Assert.True(arrived, host.Stderr);
        Assert.Equal(["charge-card", "checkout"], SpanNames(backend.Service).Order(StringComparer.Ordinal));
        foreach (var (request, headers) in backend.Service.Received)
        {
            Assert.Equal(token, headers["authorization"]);
            foreach (var rs in request.ResourceSpans)
            {
                var attributes = rs.Resource.Attributes.ToDictionary(a => a.Key, a => a.Value.StringValue);
                Assert.Equal("shop", attributes["service.name"]);
                Assert.Equal("production", attributes["deployment.environment"]);
                Assert.Equal("pipeline", attributes["collector.name"]);
            }
        }

        Assert.Equal(0, code);
    }

    private static List<string> SpanNames(BackendTraceService service)
    {
        var names = new List<string>();
        foreach (var (request, _) in service.Received)
        {
            foreach (var rs in request.ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    foreach (var span in ss.Spans)
                    {
                        names.Add(span.Name);
                    }
                }
            }
        }

        return names;
    }

    private static ExportTraceServiceRequest Request(params string[] names)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "seed" } };
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

        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "shop" } });
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    private static async Task<bool> PollAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
