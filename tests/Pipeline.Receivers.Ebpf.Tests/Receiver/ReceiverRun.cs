using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Receivers.Ebpf.Discovery;
using Pipeline.Receivers.Ebpf.Tests.Kernel;
using Pipeline.Telemetry;
using Pipeline.Testing;

namespace Pipeline.Receivers.Ebpf.Tests.Receiver;

/// <summary>A started <see cref="EbpfReceiver"/> over a span sink, plus the helpers the kernel tests share: a small
/// python "front" server that calls other URLs while serving each request, and span lookups.</summary>
internal sealed class ReceiverRun : IAsyncDisposable
{
    /// <summary>Serves GET on 127.0.0.1:argv[1]; for each request first calls every "METHOD URL" in argv[2:] (one
    /// connection each, on the serving thread), then answers 200 "front".</summary>
    public const string FrontScript = """
        import http.server, sys, urllib.request
        port = int(sys.argv[1])
        targets = sys.argv[2:]
        class Front(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_GET(self):
                for target in targets:
                    method, url = target.split(" ", 1)
                    data = b"{}" if method == "POST" else None
                    headers = {"Content-Type": "application/json"} if data else {}
                    with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers)) as r:
                        r.read()
                body = b"front"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.HTTPServer(("127.0.0.1", port), Front).serve_forever()
        """;

    private ReceiverRun(EbpfReceiver receiver, SinkConsumer<Traces> sink)
    {
        Receiver = receiver;
        Sink = sink;
    }

    public EbpfReceiver Receiver { get; }

    public SinkConsumer<Traces> Sink { get; }

    /// <summary>Starts a receiver tracing the processes listening on <paramref name="ports"/>.</summary>
    public static async Task<ReceiverRun> StartAsync(string attachMode, params int[] ports)
    {
        var config = new EbpfReceiverConfig
        {
            Discovery = new DiscoveryConfig
            {
                Instrument = [new ProcessSelector { OpenPorts = string.Join(",", ports) }],
                PollInterval = TimeSpan.FromMilliseconds(200),
            },
            Ebpf = new EbpfTuningConfig
            {
                BatchTimeout = TimeSpan.FromMilliseconds(200),
                MetricsInterval = TimeSpan.FromSeconds(60),
                RingbufSize = 1 << 22,
                AttachMode = attachMode,
            },
        };
        var sink = new SinkConsumer<Traces>();
        var receiver = new EbpfReceiver(TestSettings.For(ComponentKind.Receiver, "ebpf"), config) { Traces = sink };
        await receiver.StartAsync(NopHost.Instance, CancellationToken.None);
        return new ReceiverRun(receiver, sink);
    }

    /// <summary>Writes the front script and starts it on <paramref name="port"/>.</summary>
    public static ServerProcess StartFront(string python, int port, params string[] targets)
    {
        string dir = Directory.CreateTempSubdirectory("ebpf-front").FullName;
        string script = Path.Combine(dir, "front.py");
        File.WriteAllText(script, FrontScript);
        return ServerProcess.Start(python, [script, port.ToString(), .. targets], port, dir);
    }

    /// <summary>Waits (with a deadline) until the receiver's kernel filter holds every pid.</summary>
    public async Task WaitTracedAsync(params uint[] pids)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!pids.All(p => Receiver.Tracer!.HasPid(p)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Discovery did not trace " + string.Join(", ", pids) + " within 20 s.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Polls the sink until <paramref name="done"/> holds for the spans seen so far, or 20 s pass.</summary>
    public async Task<List<Span>> WaitForSpansAsync(Func<List<Span>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var spans = Spans();
        while (!done(spans) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            spans = Spans();
        }

        return spans;
    }

    public List<Span> Spans()
    {
        var result = new List<Span>();
        foreach (var batch in Sink.Batches)
        {
            foreach (var rs in batch.Request.ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    result.AddRange(ss.Spans);
                }
            }
        }

        return result;
    }

    public static string? Attr(Span span, string key)
    {
        var kv = span.Attributes.FirstOrDefault(a => a.Key == key);
        return kv?.Value.ValueCase switch
        {
            null => null,
            AnyValue.ValueOneofCase.IntValue => kv.Value.IntValue.ToString(),
            AnyValue.ValueOneofCase.BoolValue => kv.Value.BoolValue ? "true" : "false",
            _ => kv.Value.StringValue,
        };
    }

    public async ValueTask DisposeAsync() => await Receiver.ShutdownAsync(CancellationToken.None);
}
