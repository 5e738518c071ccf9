using Google.Protobuf;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Receivers.Ebpf.Tests.Tracking;
using Pipeline.Receivers.Ebpf.Tracking;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Spans;

public class TraceJoinTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public void InboundTraceparent_ServerSpanJoinsThatTrace()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);

        h.Handle(c.Open(), c.Read("GET / HTTP/1.1\r\ntraceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\ntracestate: vendor=a,other=b\r\n\r\n"), c.Write(Ok));
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", Convert.ToHexStringLower(span.TraceId.Span));
        Assert.Equal("b7ad6b7169203331", Convert.ToHexStringLower(span.ParentSpanId.Span));
        Assert.Equal("vendor=a,other=b", span.TraceState);
        Assert.NotEqual("b7ad6b7169203331", Convert.ToHexStringLower(span.SpanId.Span));
    }

    [Theory]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")] // upper case
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")] // zero trace id
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")] // zero parent
    [InlineData("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")] // forbidden version
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra")] // v00 with extra fields
    [InlineData("00-0af7651916cd43dd8448eb211c80319-b7ad6b7169203331-01")] // short trace id
    [InlineData("garbage")]
    public void InvalidTraceparent_Ignored(string header)
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);

        h.Handle(c.Open(), c.Read($"GET / HTTP/1.1\r\ntraceparent: {header}\r\n\r\n"), c.Write(Ok));
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.True(span.ParentSpanId.IsEmpty);
        Assert.NotEqual("0af7651916cd43dd8448eb211c80319c", Convert.ToHexStringLower(span.TraceId.Span));
    }

    [Fact]
    public void FutureTraceparentVersion_WithExtraFields_Accepted()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);

        h.Handle(c.Open(), c.Read("GET / HTTP/1.1\r\ntraceparent: 01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-later\r\n\r\n"), c.Write(Ok));
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", Convert.ToHexStringLower(span.TraceId.Span));
    }

    [Fact]
    public void SameHost_ClientSeenFirst_ServerIsChildOfClient()
    {
        var h = new ProcessorHarness();
        var (client, server) = Pair(h);

        h.Handle(client.Open(), server.Open());
        h.Handle(client.Write("GET /api HTTP/1.1\r\n\r\n"), server.Read("GET /api HTTP/1.1\r\n\r\n"));
        h.Handle(server.Write(Ok), client.Read(Ok));
        var spans = h.TakeSpans();

        var c = Assert.Single(spans, s => s.Span.Kind == Span.Types.SpanKind.Client).Span;
        var s = Assert.Single(spans, s => s.Span.Kind == Span.Types.SpanKind.Server).Span;
        Assert.Equal(c.TraceId, s.TraceId);
        Assert.Equal(c.SpanId, s.ParentSpanId);
        Assert.True(c.ParentSpanId.IsEmpty);
    }

    [Fact]
    public void SameHost_ServerReadReportedBeforeClientWrite_StillJoined()
    {
        var h = new ProcessorHarness();
        var (client, server) = Pair(h);
        h.Handle(client.Open(), server.Open());
        var write = client.Write("GET /api HTTP/1.1\r\n\r\n");
        var read = server.Read("GET /api HTTP/1.1\r\n\r\n");
        var respond = server.Write(Ok);

        h.Handle(read, respond);
        Assert.Empty(h.TakeSpans()); // the server span waits for the client that may have called it
        h.Handle(write, client.Read(Ok));
        var spans = h.TakeSpans();

        var c = Assert.Single(spans, s => s.Span.Kind == Span.Types.SpanKind.Client).Span;
        var s = Assert.Single(spans, s => s.Span.Kind == Span.Types.SpanKind.Server).Span;
        Assert.Equal(c.TraceId, s.TraceId);
        Assert.Equal(c.SpanId, s.ParentSpanId);
    }

    [Fact]
    public void SameHost_KeepAlive_EachServerRequestJoinsItsOwnClientRequest()
    {
        var h = new ProcessorHarness();
        var (client, server) = Pair(h);
        h.Handle(client.Open(), server.Open());

        for (int i = 0; i < 3; i++)
        {
            h.Handle(client.Write($"GET /{i} HTTP/1.1\r\n\r\n"), server.Read($"GET /{i} HTTP/1.1\r\n\r\n"), server.Write(Ok), client.Read(Ok));
        }

        var spans = h.TakeSpans();

        for (int i = 0; i < 3; i++)
        {
            var c = spans.Single(s => s.Span.Kind == Span.Types.SpanKind.Client && Path(s.Span) == $"/{i}").Span;
            var s = spans.Single(s => s.Span.Kind == Span.Types.SpanKind.Server && Path(s.Span) == $"/{i}").Span;
            Assert.Equal(c.SpanId, s.ParentSpanId);
        }
    }

    [Fact]
    public void SameHost_NoClientSeen_ServerEmittedAfterJoinWait()
    {
        var h = new ProcessorHarness();
        var server = h.Connection(400, 9, ConnectionRole.Server, "127.0.0.1", 8080, "127.0.0.1", 41000);

        h.Handle(server.Open(), server.Read("GET / HTTP/1.1\r\n\r\n"), server.Write(Ok));
        Assert.Empty(h.TakeSpans());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.True(span.ParentSpanId.IsEmpty);
    }

    [Fact]
    public void SameHost_OldConnectionWithoutTracedClient_ServerEmittedWithoutWaiting()
    {
        var h = new ProcessorHarness();
        var server = h.Connection(400, 9, ConnectionRole.Server, "127.0.0.1", 8080, "127.0.0.1", 41000);
        h.Handle(server.Open(), server.Read("GET /1 HTTP/1.1\r\n\r\n"), server.Write(Ok));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(h.TakeSpans()); // the first request waited the whole join wait

        h.Handle(server.Read("GET /2 HTTP/1.1\r\n\r\n"), server.Write(Ok));
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.Equal("/2", Path(span));
        Assert.True(span.ParentSpanId.IsEmpty);
    }

    [Fact]
    public void SameHost_OldConnectionWithJoinedClient_LaterRequestsStillWaitForTheirClient()
    {
        var h = new ProcessorHarness();
        var (client, server) = Pair(h);
        h.Handle(client.Open(), server.Open());
        h.Handle(client.Write("GET /1 HTTP/1.1\r\n\r\n"), server.Read("GET /1 HTTP/1.1\r\n\r\n"), server.Write(Ok), client.Read(Ok));
        Assert.Equal(2, h.TakeSpans().Count);
        h.Time.Advance(TimeSpan.FromSeconds(5));

        var write = client.Write("GET /2 HTTP/1.1\r\n\r\n");
        h.Handle(server.Read("GET /2 HTTP/1.1\r\n\r\n"), server.Write(Ok));
        Assert.Empty(h.TakeSpans()); // the client's write is not reported yet: the server span waits for it
        h.Handle(write, client.Read(Ok));
        var spans = h.TakeSpans();

        var c = Assert.Single(spans, s => s.Span.Kind == Span.Types.SpanKind.Client).Span;
        var s = Assert.Single(spans, s => s.Span.Kind == Span.Types.SpanKind.Server).Span;
        Assert.Equal(c.SpanId, s.ParentSpanId);
    }

    [Fact]
    public void RemotePeer_ServerEmittedWithoutWaiting()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);

        h.Handle(c.Open(), c.Read("GET / HTTP/1.1\r\n\r\n"), c.Write(Ok));

        Assert.Single(h.TakeSpans());
    }

    [Fact]
    public void InProcess_ClientOnServingThread_IsChildOfServerSpan()
    {
        var h = new ProcessorHarness();
        var server = h.Server(500);
        var client = h.Connection(500, 11, ConnectionRole.Client, "10.0.0.5", 43000, "10.0.0.7", 80);

        h.Handle(server.Open(), client.Open(), server.Read("GET /front HTTP/1.1\r\n\r\n", tid: 501));
        h.Handle(client.Write("GET /back HTTP/1.1\r\n\r\n", tid: 501), client.Read(Ok, tid: 501), server.Write(Ok, tid: 501));
        var spans = h.TakeSpans();

        var s = Assert.Single(spans, s => s.Span.Kind == Span.Types.SpanKind.Server).Span;
        var c = Assert.Single(spans, s => s.Span.Kind == Span.Types.SpanKind.Client).Span;
        Assert.Equal(s.TraceId, c.TraceId);
        Assert.Equal(s.SpanId, c.ParentSpanId);
        Assert.False(ProcessorHarness.Attributes(c.Attributes).ContainsKey("ebpf.parent.heuristic"));
    }

    [Fact]
    public void InProcess_ClientOnForkedDescendantThread_IsChildOfServerSpan()
    {
        var h = new ProcessorHarness();
        var server = h.Server(500);
        var client = h.Connection(500, 11, ConnectionRole.Client, "10.0.0.5", 43000, "10.0.0.7", 80);
        var other = h.Server(500, fd: 12); // a second request in flight: the heuristic cannot decide

        h.Handle(server.Open(), client.Open(), other.Open());
        h.Handle(server.Read("GET /front HTTP/1.1\r\n\r\n", tid: 501), other.Read("GET /other HTTP/1.1\r\n\r\n", tid: 601));
        h.Handle(
            new SocketEvent { Kind = SocketEventKind.ProcessFork, Tgid = 500, Tid = 700, ParentTid = 501 },
            new SocketEvent { Kind = SocketEventKind.ProcessFork, Tgid = 500, Tid = 701, ParentTid = 700 });
        h.Handle(client.Write("GET /back HTTP/1.1\r\n\r\n", tid: 701), client.Read(Ok, tid: 701), server.Write(Ok, tid: 501), other.Write(Ok, tid: 601));
        var spans = h.TakeSpans();

        var s = spans.Single(s => Path(s.Span) == "/front").Span;
        var c = Assert.Single(spans, s => s.Span.Kind == Span.Types.SpanKind.Client).Span;
        Assert.Equal(s.SpanId, c.ParentSpanId);
        Assert.False(ProcessorHarness.Attributes(c.Attributes).ContainsKey("ebpf.parent.heuristic"));
    }

    [Fact]
    public void InProcess_OnlyOneServerInFlight_HeuristicParentMarked()
    {
        var h = new ProcessorHarness();
        var server = h.Server(500);
        var client = h.Connection(500, 11, ConnectionRole.Client, "10.0.0.5", 43000, "10.0.0.7", 80);

        h.Handle(server.Open(), client.Open(), server.Read("GET /front HTTP/1.1\r\n\r\n", tid: 501));
        h.Handle(client.Write("GET /back HTTP/1.1\r\n\r\n", tid: 999), client.Read(Ok, tid: 998), server.Write(Ok, tid: 502));
        var spans = h.TakeSpans();

        var s = Assert.Single(spans, s => s.Span.Kind == Span.Types.SpanKind.Server).Span;
        var c = Assert.Single(spans, s => s.Span.Kind == Span.Types.SpanKind.Client).Span;
        Assert.Equal(s.SpanId, c.ParentSpanId);
        Assert.Equal(true, ProcessorHarness.Attributes(c.Attributes)["ebpf.parent.heuristic"]);
    }

    [Fact]
    public void InProcess_TwoServersInFlightOnOtherThreads_NoParent()
    {
        var h = new ProcessorHarness();
        var a = h.Server(500, fd: 10);
        var b = h.Server(500, fd: 12);
        var client = h.Connection(500, 11, ConnectionRole.Client, "10.0.0.5", 43000, "10.0.0.7", 80);

        h.Handle(a.Open(), b.Open(), client.Open(), a.Read("GET /a HTTP/1.1\r\n\r\n", tid: 501), b.Read("GET /b HTTP/1.1\r\n\r\n", tid: 502));
        h.Handle(client.Write("GET /back HTTP/1.1\r\n\r\n", tid: 999), client.Read(Ok, tid: 999), a.Write(Ok, tid: 501), b.Write(Ok, tid: 502));
        var c = Assert.Single(h.TakeSpans(), s => s.Span.Kind == Span.Types.SpanKind.Client).Span;

        Assert.True(c.ParentSpanId.IsEmpty);
    }

    [Fact]
    public void ChainAcrossProcesses_AllSpansShareTheRootTrace()
    {
        var h = new ProcessorHarness();
        var front = h.Connection(600, 3, ConnectionRole.Server, "127.0.0.1", 8000, "127.0.0.1", 50000);
        var (client, back) = Pair(h, clientTgid: 600, serverTgid: 700);

        // The front server's caller is on this host but never seen: the front waits, its subtree with it.
        h.Handle(front.Open(), client.Open(), back.Open(), front.Read("GET /front HTTP/1.1\r\n\r\n", tid: 601));
        h.Handle(client.Write("GET /back HTTP/1.1\r\n\r\n", tid: 601), back.Read("GET /back HTTP/1.1\r\n\r\n"), back.Write(Ok), client.Read(Ok, tid: 601), front.Write(Ok, tid: 601));
        Assert.Empty(h.TakeSpans());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var spans = h.TakeSpans();

        Assert.Equal(3, spans.Count);
        var root = spans.Single(s => Path(s.Span) == "/front" && s.Span.Kind == Span.Types.SpanKind.Server).Span;
        var c = spans.Single(s => s.Span.Kind == Span.Types.SpanKind.Client).Span;
        var leaf = spans.Single(s => Path(s.Span) == "/back" && s.Span.Kind == Span.Types.SpanKind.Server).Span;
        Assert.All(spans, s => Assert.Equal(root.TraceId, s.Span.TraceId));
        Assert.Equal(root.SpanId, c.ParentSpanId);
        Assert.Equal(c.SpanId, leaf.ParentSpanId);
    }

    [Fact]
    public void ClientWithInjectedTraceparent_JoinsTheCallersTrace()
    {
        var h = new ProcessorHarness();
        var client = h.Connection(300, 7, ConnectionRole.Client, "10.0.0.5", 43000, "10.0.0.7", 80);

        h.Handle(client.Open(), client.Write("GET / HTTP/1.1\r\ntraceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n\r\n"), client.Read(Ok));
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", Convert.ToHexStringLower(span.TraceId.Span));
        Assert.Equal("b7ad6b7169203331", Convert.ToHexStringLower(span.ParentSpanId.Span));
    }

    [Fact]
    public void SpanIds_AreUniqueAndRandom()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);
        h.Handle(c.Open());

        for (int i = 0; i < 50; i++)
        {
            h.Handle(c.Read("GET / HTTP/1.1\r\n\r\n"), c.Write(Ok));
        }

        var spans = h.TakeSpans();

        Assert.Equal(50, spans.Select(s => s.Span.SpanId).Distinct().Count());
        Assert.Equal(50, spans.Select(s => s.Span.TraceId).Distinct().Count());
    }

    private static (EventScript Client, EventScript Server) Pair(ProcessorHarness h, uint clientTgid = 300, uint serverTgid = 400) =>
        (h.Connection(clientTgid, 7, ConnectionRole.Client, "127.0.0.1", 41000, "127.0.0.1", 8080),
         h.Connection(serverTgid, 9, ConnectionRole.Server, "127.0.0.1", 8080, "127.0.0.1", 41000));

    private static string Path(Span span) => (string)ProcessorHarness.Attributes(span.Attributes)["url.path"];
}
