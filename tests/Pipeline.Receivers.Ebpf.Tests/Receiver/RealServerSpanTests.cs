using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Receivers.Ebpf.Tests.Kernel;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Receiver;

/// <summary>Issue 3 §8: nginx, Python, Node and Kestrel under the whole receiver, spans read back from the file
/// exporter's output. Every case asserts exactly one SERVER span per request sent, with the method, path, route,
/// status, kind and addresses the client used, Error status for 5xx, and a span placed where the client saw the
/// exchange: it starts after the client began sending the request and before the client had the whole response,
/// and it ends before the client had the next response on that connection (see <see cref="AssertPlacedInTime"/>).</summary>
[Collection(KernelCollection.Name)]
public sealed class RealServerSpanTests(TracingFixture tracing) : IClassFixture<TracingFixture>
{
    private readonly TracingFixture _tracing = tracing;

    public static TheoryData<string> Servers => new() { TestServers.Nginx, TestServers.Python, TestServers.Node, TestServers.Kestrel };

    [SkippableTheory]
    [MemberData(nameof(Servers))]
    public async Task KeepAlive_100RequestsOnOneConnection_OneSpanEach(string kind)
    {
        using var traced = await TracedServer.StartAsync(_tracing, kind);
        var exchanges = new List<Exchange>();
        using (var client = new RawHttp(traced.Port))
        {
            for (int i = 0; i < 100; i++)
            {
                exchanges.Add(client.Send("GET", "/ok"));
            }
        }

        var spans = await traced.WaitForServerSpansAsync(exchanges.Count);

        AssertOneSpanPerExchange(traced, exchanges, spans);
    }

    [SkippableTheory]
    [MemberData(nameof(Servers))]
    public async Task Pipelined_20RequestsInOneSend_OneSpanEach(string kind)
    {
        using var traced = await TracedServer.StartAsync(_tracing, kind);
        var exchanges = new List<Exchange>();
        using (var client = new RawHttp(traced.Port))
        {
            var all = new StringBuilder();
            for (int i = 0; i < 20; i++)
            {
                all.Append(client.Request("GET", i % 2 == 0 ? "/ok" : "/status/201"));
            }

            long sentAt = Stopwatch.GetTimestamp();
            client.Write(all.ToString());
            var responses = new List<(int Status, int Length)>();
            for (int i = 0; i < 20; i++)
            {
                responses.Add(client.ReadResponse());
            }

            long receivedAt = Stopwatch.GetTimestamp();
            for (int i = 0; i < 20; i++)
            {
                exchanges.Add(new Exchange(client.LocalPort, "GET", i % 2 == 0 ? "/ok" : "/status/201", responses[i].Status, responses[i].Length, sentAt, receivedAt));
            }
        }

        var spans = await traced.WaitForServerSpansAsync(exchanges.Count);

        Assert.All(exchanges, e => Assert.Equal(e.Path == "/ok" ? 200 : 201, e.Status));
        AssertOneSpanPerExchange(traced, exchanges, spans);
    }

    [SkippableTheory]
    [MemberData(nameof(Servers))]
    public async Task Concurrent_50Connections_OneSpanEach(string kind)
    {
        using var traced = await TracedServer.StartAsync(_tracing, kind);
        var clients = new List<RawHttp>();
        Exchange[] exchanges;
        try
        {
            for (int i = 0; i < 50; i++)
            {
                clients.Add(new RawHttp(traced.Port));
            }

            exchanges = await Task.WhenAll(clients.Select(c => Task.Run(() => c.Send("GET", "/ok"))));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        var spans = await traced.WaitForServerSpansAsync(exchanges.Length);

        Assert.Equal(50, exchanges.Select(e => e.ClientPort).Distinct().Count());
        AssertOneSpanPerExchange(traced, [.. exchanges], spans);
    }

    [SkippableTheory]
    [MemberData(nameof(Servers))]
    public async Task LargeResponse_1MiB_OneSpanEndingAfterTheBody(string kind)
    {
        using var traced = await TracedServer.StartAsync(_tracing, kind);
        var exchanges = new List<Exchange>();
        using (var client = new RawHttp(traced.Port))
        {
            exchanges.Add(client.Send("GET", "/big"));
            exchanges.Add(client.Send("GET", "/ok"));
        }

        var spans = await traced.WaitForServerSpansAsync(exchanges.Count);

        Assert.Equal(TestServers.BigSize, exchanges[0].BodyLength);
        AssertOneSpanPerExchange(traced, exchanges, spans);
    }

    [SkippableTheory]
    [MemberData(nameof(Servers))]
    public async Task SplitRequest_ThreeBytesPerWrite_OneSpan(string kind)
    {
        using var traced = await TracedServer.StartAsync(_tracing, kind);
        var exchanges = new List<Exchange>();
        using (var client = new RawHttp(traced.Port))
        {
            exchanges.Add(await client.SendSplitAsync("GET", "/status/202", 3, TimeSpan.FromMilliseconds(5)));
            exchanges.Add(client.Send("GET", "/ok"));
        }

        var spans = await traced.WaitForServerSpansAsync(exchanges.Count);

        Assert.Equal(202, exchanges[0].Status);
        AssertOneSpanPerExchange(traced, exchanges, spans);
    }

    [SkippableTheory]
    [MemberData(nameof(Servers))]
    public async Task ErrorResponses_404And500_StatusesAndErrorOnlyFor5xx(string kind)
    {
        using var traced = await TracedServer.StartAsync(_tracing, kind);
        var exchanges = new List<Exchange>();
        foreach (string path in new[] { "/missing", "/status/500" })
        {
            using var client = new RawHttp(traced.Port);
            exchanges.Add(client.Send("GET", path));
        }

        var spans = await traced.WaitForServerSpansAsync(exchanges.Count);

        Assert.Equal([404, 500], exchanges.Select(e => e.Status));
        AssertOneSpanPerExchange(traced, exchanges, spans);
    }

    [SkippableTheory]
    [InlineData(TestServers.Python)]
    [InlineData(TestServers.Node)]
    [InlineData(TestServers.Kestrel)]
    public async Task PostBody_SplitAcrossWrites_OneSpanWithTheEcho(string kind)
    {
        using var traced = await TracedServer.StartAsync(_tracing, kind);
        var exchanges = new List<Exchange>();
        using (var client = new RawHttp(traced.Port))
        {
            string body = new('e', 5000);
            exchanges.Add(await client.SendSplitAsync("POST", "/echo", 1000, TimeSpan.FromMilliseconds(10), body));
            exchanges.Add(client.Send("GET", "/ok"));
        }

        var spans = await traced.WaitForServerSpansAsync(exchanges.Count);

        Assert.Equal(5000, exchanges[0].BodyLength);
        AssertOneSpanPerExchange(traced, exchanges, spans);
    }

    [SkippableFact]
    public async Task Curl_UnderTheReceiver_OneClientSpanPerRequest()
    {
        string curl = BpfRequirement.RequireProgram("curl");
        using var traced = await TracedServer.StartAsync(_tracing, TestServers.Nginx);
        string url = "http://127.0.0.1:" + traced.Port.ToString(CultureInfo.InvariantCulture);

        // curl reads its URLs from stdin (-K -): it is running, and found by discovery (the marker is in its
        // arguments), before it connects.
        var start = new ProcessStartInfo(curl, ["-s", "-o", "/dev/null", "-o", "/dev/null", "-H", "X-Test: " + TestServers.Marker, "-K", "-"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        bool found = await _tracing.WaitTracedAsync((uint)process.Id);
        await process.StandardInput.WriteAsync("url = \"" + url + "/ok\"\nurl = \"" + url + "/missing\"\n");
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(20_000), "curl finished");
        var spans = await _tracing.WaitForSpansAsync(2, s => s.Pid == process.Id && s.Span.Kind == Span.Types.SpanKind.Client);

        Assert.True(found, "discovery traced curl before it connected");
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(2, spans.Count);
        var ok = Assert.Single(spans, s => s.Attr("url.path") == "/ok");
        var missing = Assert.Single(spans, s => s.Attr("url.path") == "/missing");
        Assert.Equal("200", ok.Attr("http.response.status_code"));
        Assert.Equal("404", missing.Attr("http.response.status_code"));
        Assert.Equal(Status.Types.StatusCode.Unset, ok.StatusCode);
        Assert.Equal(Status.Types.StatusCode.Error, missing.StatusCode);
        Assert.All(spans, s =>
        {
            Assert.Equal("GET", s.Attr("http.request.method"));
            Assert.Equal("GET " + s.Attr("url.path"), s.Span.Name); // the heuristic route of /ok and /missing is the path
            Assert.Equal("127.0.0.1", s.Attr("server.address"));
            Assert.Equal(traced.Port.ToString(CultureInfo.InvariantCulture), s.Attr("server.port"));
            Assert.Equal(url + s.Attr("url.path"), s.Attr("url.full"));
            Assert.StartsWith("curl/", s.Attr("user_agent.original"), StringComparison.Ordinal);
        });
    }

    /// <summary>Exactly one span per exchange, paired by the client's port and, on one connection, by order.</summary>
    private static void AssertOneSpanPerExchange(TracedServer traced, List<Exchange> exchanges, List<ExportedSpan> spans)
    {
        Assert.True(exchanges.Count == spans.Count, "spans for " + exchanges.Count + " requests: " + spans.Count + "\n" + string.Join("\n", spans));
        foreach (var connection in exchanges.GroupBy(e => e.ClientPort))
        {
            var sent = connection.ToList();
            var seen = spans.Where(s => s.Attr("network.peer.port") == connection.Key.ToString(CultureInfo.InvariantCulture)).OrderBy(s => s.Span.StartTimeUnixNano).ToList();
            Assert.True(sent.Count == seen.Count, "spans for client port " + connection.Key + ": " + seen.Count + " of " + sent.Count);
            for (int i = 0; i < sent.Count; i++)
            {
                AssertSpan(traced, sent[i], seen[i]);
                AssertPlacedInTime(sent[i], i + 1 < sent.Count ? sent[i + 1] : null, seen[i]);
            }
        }
    }

    private static void AssertSpan(TracedServer traced, Exchange sent, ExportedSpan span)
    {
        string route = sent.Path.StartsWith("/status/", StringComparison.Ordinal) ? "/status/{code}" : sent.Path;
        Assert.Equal(Span.Types.SpanKind.Server, span.Span.Kind);
        Assert.Equal(sent.Method + " " + route, span.Span.Name);
        Assert.Equal(sent.Method, span.Attr("http.request.method"));
        Assert.Equal(sent.Path, span.Attr("url.path"));
        Assert.Equal(route, span.Attr("http.route"));
        Assert.Equal(sent.Status.ToString(CultureInfo.InvariantCulture), span.Attr("http.response.status_code"));
        Assert.Equal("127.0.0.1", span.Attr("server.address"));
        Assert.Equal(traced.Port.ToString(CultureInfo.InvariantCulture), span.Attr("server.port"));
        Assert.Equal("127.0.0.1", span.Attr("client.address"));
        Assert.Equal("127.0.0.1", span.Attr("network.peer.address"));
        Assert.Equal(sent.ClientPort.ToString(CultureInfo.InvariantCulture), span.Attr("network.peer.port"));
        Assert.Equal("1.1", span.Attr("network.protocol.version"));
        Assert.Equal(sent.Status >= 500 ? Status.Types.StatusCode.Error : Status.Types.StatusCode.Unset, span.StatusCode);
        Assert.True(span.Span.EndTimeUnixNano > span.Span.StartTimeUnixNano, "span has a duration");
    }

    /// <summary>
    /// The span against the client's clock (the fixture's receiver reports kernel CLOCK_MONOTONIC, as
    /// <see cref="Stopwatch"/> reads). A server span runs from the exit of the read that brought the request's first
    /// bytes to the exit of the write that sent the response's last bytes, so it starts after the client began
    /// sending and before the client had the whole response. Its end has no bound on the client's side of the same
    /// exchange: the woken client can read the response while the server's write has yet to return. It does have one
    /// on the next exchange: responses on a connection are written in order, so the write that finishes this one
    /// returns before the next response is written and reaches the client.
    /// </summary>
    private static void AssertPlacedInTime(Exchange sent, Exchange? next, ExportedSpan span)
    {
        long start = (long)span.Span.StartTimeUnixNano;
        long end = (long)span.Span.EndTimeUnixNano;
        string what = $"span of {sent.Method} {sent.Path} [{start}, {end}] (CLOCK_MONOTONIC ns)";
        Assert.True(start >= sent.SentNs, $"{what} starts before the client began sending the request at {sent.SentNs}");
        Assert.True(start <= sent.ReceivedNs, $"{what} starts after the client had the whole response at {sent.ReceivedNs}");
        if (next is not null)
        {
            Assert.True(end <= next.ReceivedNs, $"{what} ends after the client had the next response at {next.ReceivedNs}");
        }
    }
}
