using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Receivers.Ebpf.Loader;
using Pipeline.Receivers.Ebpf.Tests.Kernel;
using Xunit;
using static Pipeline.Receivers.Ebpf.Tests.Receiver.ReceiverRun;

namespace Pipeline.Receivers.Ebpf.Tests.Receiver;

/// <summary>The whole receiver under real processes: the raw-tracepoint attach mode, the same-host and in-process
/// trace joins between two servers, and the exclusion of the collector's own traffic.</summary>
[Collection(KernelCollection.Name)]
public sealed class JoinAndSelfTrafficTests
{
    [SkippableFact]
    public async Task RawTracepointMode_PythonServerRequests_OneServerSpanEach()
    {
        BpfRequirement.Ensure();
        string python = BpfRequirement.RequireProgram("python3");
        string root = Directory.CreateTempSubdirectory("ebpf-raw").FullName;
        File.WriteAllText(Path.Combine(root, "a.txt"), "hello");
        int port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(python, ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1", "--protocol", "HTTP/1.1"], port, root);
        await using var run = await StartAsync(AttachModes.RawTracepoint, port);
        await run.WaitTracedAsync(server.Pid);

        using (var client = new TcpClient())
        {
            client.Connect(IPAddress.Loopback, port);
            var stream = client.GetStream();
            for (int i = 0; i < 5; i++)
            {
                stream.Write(Encoding.ASCII.GetBytes("GET /a.txt?i=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n"));
                ReadResponse(stream);
            }
        }

        var spans = await run.WaitForSpansAsync(s => s.Count(x => x.Kind == Span.Types.SpanKind.Server) >= 5);

        Assert.Equal(AttachMode.RawTracepoint, run.Receiver.Tracer!.Mode);
        Assert.All(run.Receiver.Tracer.AttachedPrograms, p => Assert.StartsWith("raw_", p));
        var servers = spans.FindAll(s => s.Kind == Span.Types.SpanKind.Server);
        Assert.Equal(5, servers.Count);
        Assert.All(servers, s => Assert.Equal("GET", Attr(s, "http.request.method")));
        Assert.All(servers, s => Assert.Equal("/a.txt", Attr(s, "url.path")));
        Assert.All(servers, s => Assert.Equal("200", Attr(s, "http.response.status_code")));
        Assert.All(servers, s => Assert.Equal(port.ToString(), Attr(s, "server.port")));
    }

    [SkippableFact]
    public async Task FrontCallsBack_BothTraced_BackServerIsChildOfFrontClientIsChildOfFrontServer()
    {
        BpfRequirement.Ensure();
        string python = BpfRequirement.RequireProgram("python3");
        string curl = BpfRequirement.RequireProgram("curl");
        string root = Directory.CreateTempSubdirectory("ebpf-back").FullName;
        File.WriteAllText(Path.Combine(root, "back.txt"), "back");
        int backPort = ServerProcess.FreePort();
        int frontPort = ServerProcess.FreePort();
        using var back = ServerProcess.Start(python, ["-m", "http.server", backPort.ToString(), "--bind", "127.0.0.1"], backPort, root);
        using var front = StartFront(python, frontPort, "GET http://127.0.0.1:" + backPort + "/back.txt");
        await using var run = await StartAsync(AttachModes.Auto, frontPort, backPort);
        await run.WaitTracedAsync(front.Pid, back.Pid);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("front", ServerProcess.Run(curl, "-s", "http://127.0.0.1:" + frontPort + "/front"));
        }

        var spans = await run.WaitForSpansAsync(s => s.Count(x => x.Kind == Span.Types.SpanKind.Server) >= 6 && s.Count(x => x.Kind == Span.Types.SpanKind.Client) >= 3);

        var frontServers = spans.FindAll(s => s.Kind == Span.Types.SpanKind.Server && Attr(s, "server.port") == frontPort.ToString());
        var frontClients = spans.FindAll(s => s.Kind == Span.Types.SpanKind.Client && Attr(s, "server.port") == backPort.ToString());
        var backServers = spans.FindAll(s => s.Kind == Span.Types.SpanKind.Server && Attr(s, "server.port") == backPort.ToString());
        Assert.Equal(3, frontServers.Count);
        Assert.Equal(3, frontClients.Count);
        Assert.Equal(3, backServers.Count);
        foreach (var backServer in backServers)
        {
            // Same-host join: the back server's connection tuple mirrors the front's client connection.
            var client = Assert.Single(frontClients, c => c.SpanId == backServer.ParentSpanId);
            Assert.Equal(client.TraceId, backServer.TraceId);
            Assert.Null(Attr(backServer, "ebpf.parent.heuristic"));

            // In-process join: python serves and calls on one thread, so the parent is certain.
            var frontServer = Assert.Single(frontServers, s => s.SpanId == client.ParentSpanId);
            Assert.Equal(frontServer.TraceId, client.TraceId);
            Assert.Null(Attr(client, "ebpf.parent.heuristic"));
            Assert.True(frontServer.ParentSpanId.IsEmpty);
            Assert.Equal("/back.txt", Attr(client, "url.path"));
            Assert.Equal("/front", Attr(frontServer, "url.path"));
        }

        Assert.Equal(3, backServers.Select(s => s.TraceId).Distinct().Count());
    }

    [SkippableFact]
    public async Task TracedClientCallsOurListenPort_NoSpansForOurTraffic_OtherCallsTraced()
    {
        BpfRequirement.Ensure();
        string python = BpfRequirement.RequireProgram("python3");
        string curl = BpfRequirement.RequireProgram("curl");
        string root = Directory.CreateTempSubdirectory("ebpf-other").FullName;
        File.WriteAllText(Path.Combine(root, "other.txt"), "other");
        using var own = new OwnOtlpListener();
        int otherPort = ServerProcess.FreePort();
        int frontPort = ServerProcess.FreePort();
        using var other = ServerProcess.Start(python, ["-m", "http.server", otherPort.ToString(), "--bind", "127.0.0.1"], otherPort, root);
        using var front = StartFront(
            python,
            frontPort,
            "POST http://127.0.0.1:" + own.Port + "/v1/traces",
            "GET http://127.0.0.1:" + otherPort + "/other.txt");
        await using var run = await StartAsync(AttachModes.Auto, frontPort);
        await run.WaitTracedAsync(front.Pid);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("front", ServerProcess.Run(curl, "-s", "http://127.0.0.1:" + frontPort + "/go"));
        }

        var spans = await run.WaitForSpansAsync(s => s.Count(x => x.Kind == Span.Types.SpanKind.Client) >= 3 && s.Count(x => x.Kind == Span.Types.SpanKind.Server) >= 3);

        Assert.Equal(3, own.Requests);
        Assert.Contains((ushort)own.Port, run.Receiver.Tracer!.ExcludedPorts);
        Assert.Equal(3, spans.Count(s => s.Kind == Span.Types.SpanKind.Server && Attr(s, "server.port") == frontPort.ToString()));
        Assert.Equal(3, spans.Count(s => s.Kind == Span.Types.SpanKind.Client && Attr(s, "server.port") == otherPort.ToString()));
        Assert.DoesNotContain(spans, s => Attr(s, "server.port") == own.Port.ToString());
        Assert.DoesNotContain(spans, s => Attr(s, "url.path") == "/v1/traces");
    }

    private static void ReadResponse(NetworkStream stream)
    {
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            int b = stream.ReadByte();
            Assert.NotEqual(-1, b);
            head.Append((char)b);
        }

        string? length = head.ToString().Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        stream.ReadExactly(new byte[length is null ? 0 : int.Parse(length["Content-Length:".Length..].Trim())]);
    }

    /// <summary>Stands in for the collector's OTLP/HTTP receiver: a listener in this (the collector's) process that
    /// answers every request with 200 and closes.</summary>
    private sealed class OwnOtlpListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Thread _thread;
        private int _requests;

        public OwnOtlpListener()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _thread = new Thread(Serve) { IsBackground = true };
            _thread.Start();
        }

        public int Port { get; }

        public int Requests => Volatile.Read(ref _requests);

        public void Dispose()
        {
            _listener.Stop();
            _thread.Join(5000);
        }

        private void Serve()
        {
            try
            {
                while (true)
                {
                    using var client = _listener.AcceptTcpClient();
                    var stream = client.GetStream();
                    var head = new StringBuilder();
                    while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                    {
                        int b = stream.ReadByte();
                        if (b < 0)
                        {
                            break;
                        }

                        head.Append((char)b);
                    }

                    string? length = head.ToString().Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                    stream.ReadExactly(new byte[length is null ? 0 : int.Parse(length["Content-Length:".Length..].Trim())]);
                    stream.Write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8);
                    Interlocked.Increment(ref _requests);
                }
            }
            catch (SocketException)
            {
                // Stopped.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
