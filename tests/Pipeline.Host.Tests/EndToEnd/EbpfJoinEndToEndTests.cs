using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Proto.Trace.V1;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pipeline.Host.Tests.Cli;
using Pipeline.Telemetry.Otlp.Json;

namespace Pipeline.Host.Tests.EndToEnd;

/// <summary>
/// The seed case run as users run it: the collector with <c>otlp</c> and <c>ebpf</c> in one traces pipeline writing
/// to a file. An SDK client span (the OpenTelemetry .NET SDK, over OTLP/gRPC) and the eBPF server span of the python
/// server it called with <c>traceparent</c> land in one trace; a traced program's own OTLP export to the collector
/// makes no span. Needs root and a kernel that loads our programs: skips with the reason otherwise, and fails
/// instead under <c>PIPELINE_REQUIRE_EBPF=1</c> (CI).
/// </summary>
public sealed class EbpfJoinEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Serves GET on argv[1]; each request first POSTs an empty OTLP/JSON export to argv[2], like an SDK app
    /// exporting to the collector, then answers 200.</summary>
    private const string ExportingApp = """
        import http.server, sys, urllib.error, urllib.request
        port, otlp = int(sys.argv[1]), sys.argv[2]
        class App(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_GET(self):
                req = urllib.request.Request(otlp, data=b"{}", method="POST", headers={"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(req) as r:
                        r.read()
                except urllib.error.HTTPError:
                    pass
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            def log_message(self, *args):
                pass
        http.server.HTTPServer(("127.0.0.1", port), App).serve_forever()
        """;

    [SkippableFact]
    public async Task SdkClientSpanAndEbpfServerSpan_OneTraceInTheFile_OwnOtlpTrafficNotTraced()
    {
        string python = RequireEbpfAndProgram("python3");
        string root = Directory.CreateTempSubdirectory("ebpf-join-e2e").FullName;
        File.WriteAllText(Path.Combine(root, "a.txt"), "hello");
        File.WriteAllText(Path.Combine(root, "app.py"), ExportingApp);
        int serverPort = HostProcess.FreePort();
        int appPort = HostProcess.FreePort();
        int grpcPort = HostProcess.FreePort();
        int httpPort = HostProcess.FreePort();
        string output = Path.Combine(Path.GetTempPath(), "pipeline-ebpf-join-" + Guid.NewGuid().ToString("N") + ".json");
        using var server = Started(python, ["-m", "http.server", serverPort.ToString(), "--bind", "127.0.0.1"], serverPort, root);
        using var app = Started(python, [Path.Combine(root, "app.py"), appPort.ToString(), $"http://127.0.0.1:{httpPort}/v1/traces"], appPort, root);
        string config = HostProcess.WriteConfig($$"""
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:{{grpcPort}}
                  http:
                    endpoint: 127.0.0.1:{{httpPort}}
              ebpf:
                discovery:
                  instrument:
                    - open_ports: {{serverPort}},{{appPort}}
                  poll_interval: 200ms
                ebpf:
                  batch_timeout: 200ms
                  ringbuf_size: 4194304
            exporters:
              file:
                path: {{output}}
                flush_interval: 10ms
            service:
              pipelines:
                traces:
                  receivers: [otlp, ebpf]
                  exporters: [file]
              telemetry:
                metrics:
                  level: none
            """);
        using var host = HostProcess.Start("--config", config);
        bool ready = await host.WaitForStderrAsync("Everything is ready.", Bound);
        SkipUnlessStarted(ready, host.Stderr);

        ActivityTraceId traceId;
        ActivitySpanId sdkSpanId;
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("sdk-caller"))
            .AddSource("ebpf.join.e2e")
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri($"http://127.0.0.1:{grpcPort}");
                o.Protocol = OtlpExportProtocol.Grpc;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build())
        {
            using var source = new ActivitySource("ebpf.join.e2e");
            using (var activity = source.StartActivity("GET /a.txt", ActivityKind.Client)!)
            {
                traceId = activity.TraceId;
                sdkSpanId = activity.SpanId;
                string response = Get(serverPort, "/a.txt", $"traceparent: 00-{traceId.ToHexString()}-{sdkSpanId.ToHexString()}-01\r\ntracestate: vendor=abc\r\n");
                Assert.StartsWith("HTTP/1.0 200", response, StringComparison.Ordinal);
            }

            provider.ForceFlush();
        }

        for (int i = 0; i < 2; i++)
        {
            Assert.StartsWith("HTTP/1.1 200", Get(appPort, "/work", string.Empty), StringComparison.Ordinal);
        }

        string hexTrace = traceId.ToHexString();
        var spans = await WaitForSpansAsync(output, all =>
            all.Count(s => Convert.ToHexStringLower(s.TraceId.Span) == hexTrace) >= 2
            && all.Count(s => s.Kind == Span.Types.SpanKind.Server && Attr(s, "url.path") == "/work") >= 2);
        host.Signal("TERM");
        Assert.Equal(0, await host.WaitForExitAsync(Bound));

        var trace = spans.FindAll(s => Convert.ToHexStringLower(s.TraceId.Span) == hexTrace);
        Assert.Equal(2, trace.Count);
        var sdkSpan = Assert.Single(trace, s => Convert.ToHexStringLower(s.SpanId.Span) == sdkSpanId.ToHexString());
        Assert.Equal(Span.Types.SpanKind.Client, sdkSpan.Kind);
        var ebpfSpan = Assert.Single(trace, s => s.Kind == Span.Types.SpanKind.Server);
        Assert.Equal(sdkSpanId.ToHexString(), Convert.ToHexStringLower(ebpfSpan.ParentSpanId.Span));
        Assert.Equal("vendor=abc", ebpfSpan.TraceState);
        Assert.Equal("/a.txt", Attr(ebpfSpan, "url.path"));
        Assert.Equal(serverPort.ToString(), Attr(ebpfSpan, "server.port"));

        // The app's OTLP exports reached us (2 SERVER spans for its requests) but made no CLIENT span.
        Assert.Equal(2, spans.Count(s => s.Kind == Span.Types.SpanKind.Server && Attr(s, "url.path") == "/work"));
        Assert.DoesNotContain(spans, s => Attr(s, "url.path") == "/v1/traces");
        Assert.DoesNotContain(spans, s => s.Kind == Span.Types.SpanKind.Client && Attr(s, "server.port") == httpPort.ToString());
    }

    private static string RequireEbpfAndProgram(string program)
    {
        bool require = Environment.GetEnvironmentVariable("PIPELINE_REQUIRE_EBPF") == "1";
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            Assert.False(require, "PIPELINE_REQUIRE_EBPF=1 but the tests do not run as root.");
            Skip.If(true, "The eBPF end-to-end test needs root.");
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            string path = Path.Combine(dir, program);
            if (dir.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }

        Assert.False(require, "PIPELINE_REQUIRE_EBPF=1 but " + program + " is not installed (test.sh installs it).");
        Skip.If(true, program + " is not installed.");
        return program;
    }

    /// <summary>A collector that did not start because the ebpf receiver cannot load here skips (fails under CI).</summary>
    private static void SkipUnlessStarted(bool ready, string stderr)
    {
        if (ready)
        {
            return;
        }

        int at = stderr.IndexOf("The ebpf receiver", StringComparison.Ordinal);
        Assert.True(at >= 0, "The collector did not start:\n" + stderr);
        string reason = stderr[at..].Split('\n')[0];
        Assert.False(Environment.GetEnvironmentVariable("PIPELINE_REQUIRE_EBPF") == "1", "PIPELINE_REQUIRE_EBPF=1 but eBPF cannot load here: " + reason);
        Skip.If(true, reason);
    }

    private static Child Started(string file, string[] args, int port, string dir)
    {
        var info = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return new Child(process);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                process.WaitForExit(50);
            }
            catch (SocketException)
            {
                new Child(process).Dispose();
                throw new InvalidOperationException(file + " did not listen on " + port + ".");
            }
        }
    }

    /// <summary>One GET over a fresh connection with extra header lines; returns the whole response.</summary>
    private static string Get(int port, string path, string headers)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        var stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{headers}\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return reader.ReadToEnd();
    }

    private static async Task<List<Span>> WaitForSpansAsync(string path, Func<List<Span>, bool> done)
    {
        var deadline = DateTime.UtcNow + Bound;
        var spans = new List<Span>();
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

                spans = [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Where(l => l.EndsWith('}'))
                    .Select(l => OtlpJson.ParseTraces(Encoding.UTF8.GetBytes(l)))
                    .SelectMany(r => r.ResourceSpans)
                    .SelectMany(rs => rs.ScopeSpans)
                    .SelectMany(ss => ss.Spans)];
                if (done(spans))
                {
                    return spans;
                }
            }

            await Task.Delay(50);
        }

        return spans;
    }

    /// <summary>A started program, killed with its children on dispose.</summary>
    private sealed class Child(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }
    }

    private static string? Attr(Span span, string key)
    {
        var kv = span.Attributes.FirstOrDefault(a => a.Key == key);
        return kv is null ? null : kv.Value.ValueCase == OpenTelemetry.Proto.Common.V1.AnyValue.ValueOneofCase.IntValue ? kv.Value.IntValue.ToString() : kv.Value.StringValue;
    }
}
