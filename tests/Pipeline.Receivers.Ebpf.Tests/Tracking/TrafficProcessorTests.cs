using System.Text;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Receivers.Ebpf.Tracking;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Tracking;

public class TrafficProcessorTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public void FdReuse_NewGeneration_ClosesOldConnectionAndNeverMixesBytes()
    {
        var h = new ProcessorHarness();
        var old = h.Server(200, fd: 10, generation: 1);
        var reused = h.Server(200, fd: 10, generation: 2);

        h.Handle(old.Open(), old.Read("POST /old HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"));
        h.Handle(reused.Open(), reused.Read("GET /new HTTP/1.1\r\n\r\n"), reused.Write(Ok));
        var spans = h.TakeSpans();

        Assert.Equal(2, spans.Count);
        var oldSpan = spans.Single(s => s.Span.Name == "POST /old").Span;
        var newSpan = spans.Single(s => s.Span.Name == "GET /new").Span;
        Assert.Equal(Status.Types.StatusCode.Error, oldSpan.Status.Code);
        Assert.Equal(200L, ProcessorHarness.Attributes(newSpan.Attributes)["http.response.status_code"]);
        Assert.Equal(1, h.Processor.ConnectionCount);
        Assert.Equal(1, h.Processor.Stats.ActiveConnections);
    }

    [Fact]
    public void LateEventOfOldGeneration_DoesNotTouchNewConnection()
    {
        var h = new ProcessorHarness();
        var old = h.Server(200, fd: 10, generation: 1);
        var reused = h.Server(200, fd: 10, generation: 2);

        h.Handle(old.Open(), reused.Open(), reused.Read("GET /new HTTP/1.1\r\n\r\n"));
        h.Handle(old.Close(), reused.Write(Ok));

        var span = Assert.Single(h.TakeSpans()).Span;
        Assert.Equal("GET /new", span.Name);
    }

    [Fact]
    public void ProcessExit_ClosesItsConnections_ThreadExitDoesNot()
    {
        var h = new ProcessorHarness();
        var a = h.Server(200, fd: 10);
        var b = h.Server(300, fd: 10);
        h.Handle(a.Open(), b.Open(), a.Read("GET /a HTTP/1.1\r\n\r\n"));

        h.Handle(new SocketEvent { Kind = SocketEventKind.ProcessExit, Tgid = 200, Tid = 201 });
        Assert.Equal(2, h.Processor.ConnectionCount);
        h.Handle(new SocketEvent { Kind = SocketEventKind.ProcessExit, Tgid = 200, Tid = 200, TimestampNs = h.Clock.Tick() });

        Assert.Equal(1, h.Processor.ConnectionCount);
        var span = Assert.Single(h.TakeSpans()).Span;
        Assert.Equal("connection_closed", ProcessorHarness.Attributes(span.Attributes)["error.type"]);
    }

    [Fact]
    public void InactiveConnection_ClosedAfterTimeout()
    {
        var h = new ProcessorHarness();
        var idle = h.Server(200, fd: 10);
        var busy = h.Server(200, fd: 11);
        h.Handle(idle.Open(), busy.Open());

        h.Time.Advance(TimeSpan.FromSeconds(299));
        h.Handle(busy.Read("GET / HTTP/1.1\r\n\r\n"));
        Assert.Equal(2, h.Processor.ConnectionCount);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.TakeSpans();

        Assert.Equal(1, h.Processor.ConnectionCount);
        Assert.Equal(1, h.Processor.Stats.IdleTimeouts);
    }

    [Fact]
    public void MaxConnections_EvictsLeastRecentlyActive()
    {
        var h = new ProcessorHarness(maxConnections: 2);
        var first = h.Server(200, fd: 1);
        var second = h.Server(200, fd: 2);
        var third = h.Server(200, fd: 3);

        h.Handle(first.Open(), second.Open(), first.Read("GET /first HTTP/1.1\r\n\r\n"), third.Open());
        h.Handle(first.Write(Ok));

        Assert.Equal(2, h.Processor.ConnectionCount);
        Assert.Equal(1, h.Processor.Stats.Evictions);
        Assert.Equal("GET /first", Assert.Single(h.TakeSpans()).Span.Name);
    }

    [Fact]
    public void NonHttpTraffic_IgnoredWithoutParseErrors()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);
        h.Handle(c.Open());

        for (int i = 0; i < 40; i++)
        {
            h.Handle(c.Data(Direction.Ingress, [0, 0, 0, 8, 4, 210, 22, 47]), c.Data(Direction.Egress, Encoding.ASCII.GetBytes("N")));
        }

        h.Handle(c.Read("GET /late HTTP/1.1\r\n\r\n"), c.Write(Ok));

        Assert.Empty(h.TakeSpans());
        Assert.Empty(h.Processor.Stats.ParseErrors);
    }

    [Fact]
    public void DataWithoutOpen_TrackedMidStream_RoleInferred()
    {
        var h = new ProcessorHarness();
        var c = h.Connection(200, 10, ConnectionRole.Unknown, "10.0.0.5", 8080, "10.0.0.9", 51000);
        c.Lose(Direction.Ingress, 100);
        c.Lose(Direction.Egress, 300);

        h.Handle(c.Read("GET /mid HTTP/1.1\r\n\r\n"), c.Write(Ok));
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.Equal(Span.Types.SpanKind.Server, span.Kind);
        Assert.False(ProcessorHarness.Attributes(span.Attributes).ContainsKey("network.peer.address")); // no Open: no tuple
    }

    [Fact]
    public void TruncatedPayload_CountsUncapturedBytes()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);
        var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");

        h.Handle(c.Open(), c.Read("GET /big HTTP/1.1\r\n\r\n"), c.Data(Direction.Egress, head, 100000));
        h.Handle(c.Read("GET /after HTTP/1.1\r\n\r\n"), c.Write(Ok));

        Assert.Equal(2, h.TakeSpans().Count);
        Assert.Equal(100000, h.Processor.Stats.BytesNotCaptured);
    }

    [Fact]
    public void LostEvents_GapCountedAndResynced()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);
        h.Handle(c.Open(), c.Read("GET /1 HTTP/1.1\r\n\r\n"), c.Write(Ok));

        c.Lose(Direction.Ingress, 18);
        c.Lose(Direction.Egress, (ulong)Ok.Length);
        h.Handle(c.Read("GET /3 HTTP/1.1\r\n\r\n"), c.Write(Ok));
        h.Handle(c.Read("GET /4 HTTP/1.1\r\n\r\n"), c.Write(Ok));
        var paths = h.TakeSpans().Select(s => (string)ProcessorHarness.Attributes(s.Span.Attributes)["url.path"]).Order().ToArray();

        Assert.Equal(["/1", "/3", "/4"], paths);
        Assert.Equal(2, h.Processor.Stats.Gaps);
    }

    [Fact]
    public void Stats_CountEventsByKind()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);

        h.Handle(c.Open(), c.Read("GET / HTTP/1.1\r\n\r\n"), c.Write(Ok), c.Close(), new SocketEvent { Kind = SocketEventKind.ProcessFork, Tgid = 200, Tid = 201, ParentTid = 200 });

        Assert.Equal(1, h.Processor.Stats.EventsOf(SocketEventKind.Open));
        Assert.Equal(2, h.Processor.Stats.EventsOf(SocketEventKind.Data));
        Assert.Equal(1, h.Processor.Stats.EventsOf(SocketEventKind.Close));
        Assert.Equal(1, h.Processor.Stats.EventsOf(SocketEventKind.ProcessFork));
        Assert.Equal(0, h.Processor.Stats.ActiveConnections);
    }
}
