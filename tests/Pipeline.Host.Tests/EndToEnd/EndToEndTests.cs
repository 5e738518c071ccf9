using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Host.Tests.Cli;

namespace Pipeline.Host.Tests.EndToEnd;

/// <summary>
/// The collector as users run it: the built executable, a YAML file, OTLP in over real loopback sockets, and the file
/// or debug exporter out.
/// </summary>
public sealed class EndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OtlpGrpcIn_FileOut_WritesTheSpansAsOtlpJson()
    {
        int port = HostProcess.FreePort();
        string output = TempFile(".json");
        string config = HostProcess.WriteConfig($$"""
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:{{port}}
            exporters:
              file:
                path: {{output}}
                flush_interval: 10ms
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  exporters: [file]
              telemetry:
                metrics:
                  level: none
            """);
        using var host = HostProcess.Start("--config", config);
        Assert.True(await host.WaitForStderrAsync("Everything is ready.", Bound), host.Stderr);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new TraceService.TraceServiceClient(channel);

        await client.ExportAsync(Request("e2e-grpc-1", "e2e-grpc-2"));
        bool written = await PollAsync(() => File.Exists(output) && File.ReadAllText(output).Contains("e2e-grpc-2", StringComparison.Ordinal));
        host.Signal("TERM");
        int code = await host.WaitForExitAsync(Bound);

        Assert.True(written, host.Stderr);
        string json = await File.ReadAllTextAsync(output);
        Assert.Contains("\"name\":\"e2e-grpc-1\"", json, StringComparison.Ordinal);
        Assert.Contains("0102030405060708090a0b0c0d0e0f10", json, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task OtlpHttpIn_DebugOut_LogsTheSummary()
    {
        int port = HostProcess.FreePort();
        string config = HostProcess.WriteConfig($$"""
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 127.0.0.1:{{port}}
            exporters:
              debug:
                verbosity: normal
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  exporters: [debug]
              telemetry:
                metrics:
                  level: none
            """);
        using var host = HostProcess.Start("--config", config);
        Assert.True(await host.WaitForStderrAsync("Everything is ready.", Bound), host.Stderr);
        using var http = new HttpClient();
        using var body = new ByteArrayContent(Request("e2e-http-1", "e2e-http-2").ToByteArray());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");

        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/v1/traces"), body);
        bool logged = await host.WaitForStderrAsync("e2e-http-2 0102030405060708090a0b0c0d0e0f10", Bound);
        host.Signal("TERM");
        int code = await host.WaitForExitAsync(Bound);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.True(logged, host.Stderr);
        Assert.Contains("Traces {\"resource spans\": 1, \"spans\": 2}", host.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Sigterm_WithDataHeldByBatch_FlushesThroughToTheFileBeforeExit()
    {
        int port = HostProcess.FreePort();
        string output = TempFile(".json");
        string config = HostProcess.WriteConfig($$"""
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:{{port}}
            processors:
              batch:
                timeout: 1h
                send_batch_size: 100000
            exporters:
              file:
                path: {{output}}
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [batch]
                  exporters: [file]
              telemetry:
                metrics:
                  level: none
            """);
        using var host = HostProcess.Start("--config", config);
        Assert.True(await host.WaitForStderrAsync("Everything is ready.", Bound), host.Stderr);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        await new TraceService.TraceServiceClient(channel).ExportAsync(Request("held-by-batch"));

        host.Signal("TERM");
        int code = await host.WaitForExitAsync(Bound);

        Assert.Equal(0, code);
        Assert.Contains("\"name\":\"held-by-batch\"", await File.ReadAllTextAsync(output), StringComparison.Ordinal);
    }

    private static ExportTraceServiceRequest Request(params string[] names)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "e2e" } };
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
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "e2e" } });
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    private static string TempFile(string extension) => Path.Combine(Path.GetTempPath(), "pipeline-e2e-" + Guid.NewGuid().ToString("N") + extension);

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
