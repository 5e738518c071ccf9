using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Receivers.Ebpf.Tests.Kernel;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Receiver;

/// <summary>The whole receiver (kernel programs, discovery, user side) under a real python http.server, spans read back
/// from a sink: exactly one SERVER span per request sent.</summary>
[Collection(KernelCollection.Name)]
public sealed class EndToEndTests
{
    [SkippableFact]
    public async Task PythonServer_KeepAliveAnd404AndSplitRequest_OneServerSpanEach()
    {
        using var server = StartPython("a.txt");
        int port = server.Port;
        var sink = new SinkConsumer<Traces>();
        var receiver = await StartReceiverAsync(port, sink);
        List<Span> spans;
        try
        {
            using (var client = new TcpClient())
            {
                client.Connect(IPAddress.Loopback, port);
                var stream = client.GetStream();
                for (int i = 0; i < 10; i++)
                {
                    Send(stream, "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                    ReadResponse(stream);
                }

                foreach (string part in new[] { "GE", "T /a.t", "xt HTTP/1.1\r\nHo", "st: x\r\n", "\r\n" })
                {
                    Send(stream, part);
                    await Task.Delay(20);
                }

                ReadResponse(stream);
            }

            // python answers errors with Connection: close, so the 404 goes last on its own connection.
            using (var client = new TcpClient())
            {
                client.Connect(IPAddress.Loopback, port);
                var stream = client.GetStream();
                Send(stream, "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");
                ReadResponse(stream);
            }

            var deadline = DateTime.UtcNow.AddSeconds(15);
            spans = ServerSpans(sink);
            while (spans.Count < 12 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
                spans = ServerSpans(sink);
            }
        }
        finally
        {
            await receiver.ShutdownAsync(CancellationToken.None);
        }

        spans = ServerSpans(sink);
        Assert.Equal(12, spans.Count);
        Assert.Equal(11, spans.Count(s => Attr(s, "url.path") == "/a.txt" && Attr(s, "http.response.status_code") == "200"));
        Assert.Single(spans, s => Attr(s, "url.path") == "/missing" && Attr(s, "http.response.status_code") == "404");
        Assert.All(spans, s => Assert.Equal("GET", Attr(s, "http.request.method")));
        Assert.All(spans, s => Assert.Equal(port.ToString(), Attr(s, "server.port")));
        Assert.All(spans, s => Assert.True(s.EndTimeUnixNano >= s.StartTimeUnixNano));
    }

    [SkippableFact]
    public async Task NextConsumerRefusesForNow_SpansArePushedAgainAndNoneIsLost()
    {
        using var server = StartPython("f0", "f1", "f2", "f3", "f4");
        // What a full batch processor or sending queue answers: a refusal that is not permanent.
        var sink = new RefusingSink(attempt => attempt <= 3 ? new ConsumerException(Grpc.Core.StatusCode.Unavailable, "queue is full") : null);
        var receiver = await StartReceiverAsync(server.Port, sink.Sink);
        try
        {
            Get(server.Port, [.. Enumerable.Range(0, 5).Select(i => "/f" + i)]);
            await WaitUntilAsync(() => ServerSpans(sink.Sink).Count >= 5);
        }
        finally
        {
            await receiver.ShutdownAsync(CancellationToken.None);
        }

        Assert.True(sink.Attempts > 3, "the sink refused " + sink.Attempts + " pushes");
        var paths = ServerSpans(sink.Sink).Select(s => Attr(s, "url.path")).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => "/f" + i), paths);
    }

    [SkippableFact]
    public async Task NextConsumerKeepsRefusing_ShutdownStillCompletes()
    {
        using var server = StartPython("f");
        var sink = new RefusingSink(_ => new ConsumerException(Grpc.Core.StatusCode.Unavailable, "queue is full"));
        var receiver = await StartReceiverAsync(server.Port, sink.Sink);
        Get(server.Port, "/f");
        await WaitUntilAsync(() => sink.Attempts >= 2);
        Assert.True(sink.Attempts >= 2, "the span was pushed " + sink.Attempts + " times");

        // No shutdown deadline from the caller: the receiver's own retry limit (5 s) ends it.
        await receiver.ShutdownAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(ServerSpans(sink.Sink));
    }

    [SkippableFact]
    public async Task NextConsumerRefusesPermanently_SpansAreDroppedWithoutRetry()
    {
        using var server = StartPython("f");
        var sink = new RefusingSink(_ => new PermanentException("bad data"));
        var receiver = await StartReceiverAsync(server.Port, sink.Sink);
        try
        {
            Get(server.Port, "/f");
            await WaitUntilAsync(() => sink.Attempts >= 1);
            await Task.Delay(1000); // retries would come every 5-200 ms
        }
        finally
        {
            await receiver.ShutdownAsync(CancellationToken.None);
        }

        Assert.Equal(1, sink.Attempts);
        Assert.Empty(ServerSpans(sink.Sink));
    }

    /// <summary>Python's <c>http.server</c> (HTTP/1.1, keep-alive) on a free port, serving <paramref name="files"/> (each
    /// holding "hello"); skips when BPF or python3 is missing.</summary>
    private static ServerProcess StartPython(params string[] files)
    {
        BpfRequirement.Ensure();
        string python = BpfRequirement.RequireProgram("python3");
        string root = Directory.CreateTempSubdirectory("ebpf-e2e").FullName;
        foreach (string file in files)
        {
            File.WriteAllText(Path.Combine(root, file), "hello");
        }

        int port = ServerProcess.FreePort();
        return ServerProcess.Start(python, ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1", "--protocol", "HTTP/1.1"], port, root);
    }

    /// <summary>A started receiver tracing the server on <paramref name="port"/>, its spans going to <paramref name="sink"/>.</summary>
    private static async Task<EbpfReceiver> StartReceiverAsync(int port, SinkConsumer<Traces> sink)
    {
        var receiver = new EbpfReceiver(TestSettings.For(ComponentKind.Receiver, "ebpf"), EbpfReceiverTests.Config(port)) { Traces = sink };
        await receiver.StartAsync(NopHost.Instance, CancellationToken.None);
        return receiver;
    }

    /// <summary>GETs <paramref name="paths"/> one after another on one keep-alive connection.</summary>
    private static void Get(int port, params string[] paths)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        var stream = client.GetStream();
        foreach (string path in paths)
        {
            Send(stream, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            ReadResponse(stream);
        }
    }

    /// <summary>Polls <paramref name="done"/> for up to 15 s.</summary>
    private static async Task WaitUntilAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    private static List<Span> ServerSpans(SinkConsumer<Traces> sink)
    {
        var result = new List<Span>();
        foreach (var batch in sink.Batches)
        {
            foreach (var rs in batch.Request.ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    result.AddRange(ss.Spans.Where(s => s.Kind == Span.Types.SpanKind.Server));
                }
            }
        }

        return result;
    }

    private static string? Attr(Span span, string key)
    {
        var kv = span.Attributes.FirstOrDefault(a => a.Key == key);
        if (kv is null)
        {
            return null;
        }

        return kv.Value.ValueCase == OpenTelemetry.Proto.Common.V1.AnyValue.ValueOneofCase.IntValue
            ? kv.Value.IntValue.ToString()
            : kv.Value.StringValue;
    }

    private static void Send(NetworkStream stream, string text) => stream.Write(Encoding.ASCII.GetBytes(text));

    /// <summary>Reads one response with a Content-Length body.</summary>
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
        int remaining = length is null ? 0 : int.Parse(length["Content-Length:".Length..].Trim());
        var buffer = new byte[remaining];
        stream.ReadExactly(buffer);
    }
}

/// <summary>A sink whose every push is first offered to <c>refuse</c> (given the push's 1-based number): what it returns
/// is thrown, null accepts.</summary>
internal sealed class RefusingSink
{
    private int _attempts;

    public RefusingSink(Func<int, Exception?> refuse) =>
        Sink = new SinkConsumer<Traces> { Refuse = _ => refuse(Interlocked.Increment(ref _attempts)) };

    public SinkConsumer<Traces> Sink { get; }

    /// <summary>Pushes so far, refused or accepted.</summary>
    public int Attempts => Volatile.Read(ref _attempts);
}
