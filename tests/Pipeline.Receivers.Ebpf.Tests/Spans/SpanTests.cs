using Google.Protobuf;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Receivers.Ebpf.Routes;
using Pipeline.Receivers.Ebpf.Tests.Tracking;
using Pipeline.Receivers.Ebpf.Tracking;
using Xunit;

namespace Pipeline.Receivers.Ebpf.Tests.Spans;

public class SpanTests
{
    private const string GetUser = "GET /users/42?token=secret HTTP/1.1\r\nHost: api.local:8080\r\nUser-Agent: curl/8.0\r\nAuthorization: Bearer hunter2\r\n\r\n";

    [Fact]
    public void ServerSpan_Get200_HasSemconvNameTimesAndAttributes()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);

        var read = c.Read(GetUser);
        var write = c.Write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        h.Handle(c.Open(), read, write);
        var spans = h.TakeSpans();

        var span = Assert.Single(spans).Span;
        Assert.Equal("GET /users/*", span.Name);
        Assert.Equal(Span.Types.SpanKind.Server, span.Kind);
        Assert.Equal((ulong)((long)read.ExitTimestampNs + ProcessorHarness.UnixOffset), span.StartTimeUnixNano);
        Assert.Equal((ulong)((long)write.ExitTimestampNs + ProcessorHarness.UnixOffset), span.EndTimeUnixNano);
        Assert.Equal(16, span.TraceId.Length);
        Assert.Equal(8, span.SpanId.Length);
        Assert.True(span.ParentSpanId.IsEmpty);
        Assert.Equal(Status.Types.StatusCode.Unset, span.Status?.Code ?? Status.Types.StatusCode.Unset);
        Assert.Equal(
            new Dictionary<string, object>
            {
                ["http.request.method"] = "GET",
                ["url.path"] = "/users/42",
                ["http.route"] = "/users/*",
                ["http.response.status_code"] = 200L,
                ["url.scheme"] = "http",
                ["server.address"] = "api.local",
                ["server.port"] = 8080L,
                ["client.address"] = "10.0.0.9",
                ["network.peer.address"] = "10.0.0.9",
                ["network.peer.port"] = 51000L,
                ["network.protocol.version"] = "1.1",
                ["user_agent.original"] = "curl/8.0",
            },
            ProcessorHarness.Attributes(span.Attributes));
    }

    [Fact]
    public void ClientSpan_Get404_IsErrorWithClientAttributes()
    {
        var h = new ProcessorHarness();
        var c = h.Connection(300, 7, ConnectionRole.Client, "10.0.0.5", 43000, "10.0.0.7", 9090);

        h.Handle(c.Open(), c.Write("GET /a/b?x=1 HTTP/1.1\r\nHost: svc.local:9090\r\n\r\n"), c.Read("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.Equal("GET /a/b", span.Name);
        Assert.Equal(Span.Types.SpanKind.Client, span.Kind);
        Assert.Equal(Status.Types.StatusCode.Error, span.Status.Code);
        Assert.Equal(
            new Dictionary<string, object>
            {
                ["http.request.method"] = "GET",
                ["url.path"] = "/a/b",
                ["http.route"] = "/a/b",
                ["http.response.status_code"] = 404L,
                ["error.type"] = "404",
                ["server.address"] = "svc.local",
                ["url.full"] = "http://svc.local:9090/a/b",
                ["server.port"] = 9090L,
                ["network.peer.address"] = "10.0.0.7",
                ["network.peer.port"] = 9090L,
                ["network.protocol.version"] = "1.1",
            },
            ProcessorHarness.Attributes(span.Attributes));
    }

    [Theory]
    [InlineData(ConnectionRole.Server, 500, true)]
    [InlineData(ConnectionRole.Server, 404, false)]
    [InlineData(ConnectionRole.Server, 302, false)]
    [InlineData(ConnectionRole.Client, 400, true)]
    [InlineData(ConnectionRole.Client, 503, true)]
    [InlineData(ConnectionRole.Client, 200, false)]
    public void Status_ByRoleAndCode_FollowsSemconv(ConnectionRole role, int code, bool error)
    {
        var h = new ProcessorHarness();
        var c = h.Connection(200, 10, role, "10.0.0.5", 8080, "10.0.0.9", 51000);
        string request = "GET / HTTP/1.1\r\n\r\n", response = $"HTTP/1.1 {code} X\r\nContent-Length: 0\r\n\r\n";

        h.Handle(c.Open(), role == ConnectionRole.Server ? c.Read(request) : c.Write(request), role == ConnectionRole.Server ? c.Write(response) : c.Read(response));
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.Equal(error ? Status.Types.StatusCode.Error : Status.Types.StatusCode.Unset, span.Status?.Code ?? Status.Types.StatusCode.Unset);
        Assert.Equal(error, ProcessorHarness.Attributes(span.Attributes).ContainsKey("error.type"));
    }

    [Fact]
    public void NonStandardMethod_ReportedAsOther()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);

        h.Handle(c.Open(), c.Read("PURGE /cache HTTP/1.1\r\n\r\n"), c.Write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        var span = Assert.Single(h.TakeSpans()).Span;

        var attributes = ProcessorHarness.Attributes(span.Attributes);
        Assert.Equal("HTTP /cache", span.Name);
        Assert.Equal("_OTHER", attributes["http.request.method"]);
        Assert.Equal("PURGE", attributes["http.request.method_original"]);
    }

    [Fact]
    public void UnsetRoute_NameIsMethodOnly_AndNoRouteAttribute()
    {
        var h = new ProcessorHarness(new RoutesConfig { Unmatched = "unset" });
        var c = h.Server(200);

        h.Handle(c.Open(), c.Read("POST /x/1 HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), c.Write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.Equal("POST", span.Name);
        Assert.False(ProcessorHarness.Attributes(span.Attributes).ContainsKey("http.route"));
    }

    [Fact]
    public void ServerSpan_BlockingReadEnteredBeforeTheRequest_StartsWhenTheReadReturns()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);
        var open = c.Open();

        // A blocking server (Python) enters recvfrom right after its previous response and waits there for 5 s.
        h.Clock.Now += 5_000_000_000;
        var arrived = c.Read(GetUser);
        var read = new SocketEvent
        {
            Kind = arrived.Kind,
            Tgid = arrived.Tgid,
            Tid = arrived.Tid,
            Fd = arrived.Fd,
            Generation = arrived.Generation,
            TimestampNs = arrived.ExitTimestampNs - 5_000_000_000,
            ExitTimestampNs = arrived.ExitTimestampNs,
            Direction = arrived.Direction,
            StreamPosition = arrived.StreamPosition,
            TotalLength = arrived.TotalLength,
            Payload = arrived.Payload,
            Role = arrived.Role,
        };
        var write = c.Write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        h.Handle(open, read, write);
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.Equal((ulong)((long)read.ExitTimestampNs + ProcessorHarness.UnixOffset), span.StartTimeUnixNano);
        Assert.Equal(2_000UL, span.EndTimeUnixNano - span.StartTimeUnixNano);
    }

    [Fact]
    public void ClientSpan_StartsAtTheEntryOfItsFirstWrite()
    {
        var h = new ProcessorHarness();
        var c = h.Connection(300, 11, ConnectionRole.Client, "10.0.0.9", 51000, "10.0.0.5", 8080);

        var write = c.Write("GET /users/42 HTTP/1.1\r\nHost: api.local:8080\r\n\r\n");
        var read = c.Read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        h.Handle(c.Open(), write, read);
        var span = Assert.Single(h.TakeSpans()).Span;

        Assert.Equal(Span.Types.SpanKind.Client, span.Kind);
        Assert.Equal((ulong)((long)write.TimestampNs + ProcessorHarness.UnixOffset), span.StartTimeUnixNano);
        Assert.Equal((ulong)((long)read.ExitTimestampNs + ProcessorHarness.UnixOffset), span.EndTimeUnixNano);
    }

    [Fact]
    public void ConnectionClosedMidRequest_ErrorSpanEndingAtClose()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);

        var read = c.Read("POST /upload HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc");
        var close = c.Close();
        h.Handle(c.Open(), read, close);
        var span = Assert.Single(h.TakeSpans()).Span;

        var attributes = ProcessorHarness.Attributes(span.Attributes);
        Assert.Equal(Status.Types.StatusCode.Error, span.Status.Code);
        Assert.Equal("connection_closed", attributes["error.type"]);
        Assert.False(attributes.ContainsKey("http.response.status_code"));
        Assert.Equal((ulong)((long)close.TimestampNs + ProcessorHarness.UnixOffset), span.EndTimeUnixNano);
    }

    [Fact]
    public void QueryStringsAndHeaderValues_NeverInSpansOrMetrics()
    {
        var h = new ProcessorHarness(new RoutesConfig { Unmatched = "path" });
        var server = h.Server(200);
        var client = h.Connection(200, 11, ConnectionRole.Client, "10.0.0.5", 43000, "10.0.0.7", 80);

        h.Handle(server.Open(), server.Read(GetUser), server.Write("HTTP/1.1 200 OK\r\nSet-Cookie: sid=hunter3\r\nContent-Length: 0\r\n\r\n"));
        h.Handle(client.Open(), client.Write("GET http://svc/q?token=secret#frag HTTP/1.1\r\nCookie: hunter4\r\n\r\n"), client.Read("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        string traces = JsonFormatter.Default.Format(h.Processor.TakeSpans()!.Request);
        string metrics = JsonFormatter.Default.Format(h.Processor.CollectMetrics()!.Request);

        foreach (string text in new[] { traces, metrics })
        {
            Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter", text, StringComparison.Ordinal);
            Assert.DoesNotContain("frag", text, StringComparison.Ordinal);
            Assert.DoesNotContain("?", text, StringComparison.Ordinal);
        }

        Assert.Contains("http://svc/q", traces, StringComparison.Ordinal);
    }

    [Fact]
    public void OwnProcess_NeverTraced()
    {
        var h = new ProcessorHarness();
        var c = h.Server(ProcessorHarness.OwnPid);

        h.Handle(c.Open(), c.Read("POST /v1/traces HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), c.Write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

        Assert.Empty(h.TakeSpans());
        Assert.Null(h.Processor.CollectMetrics());
        Assert.Equal(3, h.Processor.Stats.OwnEventsDropped);
        Assert.Equal(0, h.Processor.ConnectionCount);
    }

    [Fact]
    public void SpansOfSeveralProcesses_OneResourceSpansEach()
    {
        var h = new ProcessorHarness();
        var a = h.Server(200);
        var b = h.Server(201);

        foreach (var c in new[] { a, b, a })
        {
            h.Handle(c.Open(), c.Read("GET / HTTP/1.1\r\n\r\n"), c.Write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        }

        var traces = h.Processor.TakeSpans()!;

        Assert.Equal(2, traces.Request.ResourceSpans.Count);
        Assert.Equal(3, traces.Request.ResourceSpans.Sum(rs => rs.ScopeSpans.Sum(ss => ss.Spans.Count)));
        Assert.Null(h.Processor.TakeSpans());
    }

    [Fact]
    public void TakeSpans_ValuesLongerThanOneLengthByte_EncodeAWellFormedRequest()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);
        string path = "/" + new string('p', 3_000); // attribute, key-value and span lengths of two varint bytes
        string agent = new('a', 500);

        h.Handle(c.Open(), c.Read($"GET {path} HTTP/1.1\r\nUser-Agent: {agent}\r\n\r\n"), c.Write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        var traces = h.Processor.TakeSpans()!;
        var decoded = OpenTelemetry.Proto.Collector.Trace.V1.ExportTraceServiceRequest.Parser.ParseFrom(traces.Request.ToByteArray());

        var span = decoded.ResourceSpans.Single().ScopeSpans.Single().Spans.Single();
        Assert.Equal(1, traces.ItemCount);
        Assert.Equal(path, ProcessorHarness.Attributes(span.Attributes)["url.path"]);
        Assert.Equal(agent, ProcessorHarness.Attributes(span.Attributes)["user_agent.original"]);
        Assert.Equal("GET " + ProcessorHarness.Attributes(span.Attributes)["http.route"], span.Name);
    }

    [Fact]
    public void CompletedSinceTake_CountsCompletedExchangesUntilTheNextTake()
    {
        var h = new ProcessorHarness();
        var c = h.Server(200);
        h.Handle(c.Open());

        for (int i = 0; i < 3; i++)
        {
            h.Handle(c.Read("GET / HTTP/1.1\r\n\r\n"), c.Write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        }

        Assert.Equal(3, h.Processor.CompletedSinceTake);
        Assert.Equal(3, h.TakeSpans().Count);
        Assert.Equal(0, h.Processor.CompletedSinceTake);
    }
}
