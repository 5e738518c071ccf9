using Xunit;
using System.Text;
using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Tests.Http;

public class Http1ParserTests
{
    private const string Get = "GET /users/42?token=secret HTTP/1.1\r\nHost: api.local:8080\r\nUser-Agent: curl/8.0\r\n\r\n";
    private const string PostContentLength = "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world";
    private const string PostChunked = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    private const string OkChunked = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n";

    public static TheoryData<string, string, string, int> Exchanges => new()
    {
        { Get, Ok, "GET", 200 },
        { PostContentLength, OkChunked, "POST", 201 },
        { PostChunked, Ok, "POST", 200 },
        { PostChunked, OkChunked, "POST", 201 },
    };

    [Theory]
    [MemberData(nameof(Exchanges))]
    public void Request_SplitAtEveryOffset_ParsesOneExchange(string request, string response, string method, int status)
    {
        for (int split = 1; split < request.Length; split++)
        {
            var h = new ParserHarness();

            var reads = h.Send(Direction.Ingress, request, split);
            var writes = h.Send(Direction.Egress, response);

            var (req, resp) = Assert.Single(h.Sink.Completed);
            Assert.Equal(method, req.Method);
            Assert.Equal(status, resp!.StatusCode);
            Assert.Equal(reads[0].TimestampNs, req.FirstEntryNs);
            Assert.Equal(writes[^1].ExitTimestampNs, resp.LastExitNs);
            Assert.Equal(0, h.ParseErrors);
        }
    }

    [Theory]
    [MemberData(nameof(Exchanges))]
    public void Response_SplitAtEveryOffset_ParsesOneExchange(string request, string response, string method, int status)
    {
        for (int split = 1; split < response.Length; split++)
        {
            var h = new ParserHarness();

            h.Send(Direction.Ingress, request);
            var writes = h.Send(Direction.Egress, response, split);

            var (req, resp) = Assert.Single(h.Sink.Completed);
            Assert.Equal(method, req.Method);
            Assert.Equal(status, resp!.StatusCode);
            Assert.Equal(writes[0].TimestampNs, resp.FirstEntryNs);
            Assert.Equal(writes[^1].ExitTimestampNs, resp.LastExitNs);
            Assert.Equal(0, h.ParseErrors);
        }
    }

    [Fact]
    public void ChunkedResponse_SplitIntoThreeAtEveryPairOfOffsets_ParsesOneExchange()
    {
        for (int a = 1; a < OkChunked.Length - 1; a++)
        {
            for (int b = a + 1; b < OkChunked.Length; b++)
            {
                var h = new ParserHarness(ConnectionRole.Client);

                h.Send(Direction.Egress, PostChunked, a % PostChunked.Length);
                h.Send(Direction.Ingress, OkChunked, a, b);

                var (_, resp) = Assert.Single(h.Sink.Completed);
                Assert.Equal(201, resp!.StatusCode);
                Assert.Equal(0, h.ParseErrors);
            }
        }
    }

    [Fact]
    public void Response_OneByteReads_ParsesOneExchange()
    {
        var h = new ParserHarness();
        int[] everyByte = Enumerable.Range(1, OkChunked.Length - 1).ToArray();

        h.Send(Direction.Ingress, Get, Enumerable.Range(1, Get.Length - 1).ToArray());
        h.Send(Direction.Egress, OkChunked, everyByte);

        var (req, resp) = Assert.Single(h.Sink.Completed);
        Assert.Equal("/users/42", req.Path);
        Assert.Equal(201, resp!.StatusCode);
    }

    [Fact]
    public void Pipelined_SplitAtEveryOffset_PairsInOrder()
    {
        string requests = Get + PostContentLength + PostChunked;
        string responses = Ok + OkChunked + "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n";
        for (int split = 1; split < responses.Length; split++)
        {
            var h = new ParserHarness();

            h.Send(Direction.Ingress, requests, split % requests.Length);
            h.Send(Direction.Egress, responses, split);

            Assert.Equal(3, h.Sink.Completed.Count);
            Assert.Equal(("GET", 200), (h.Sink.Completed[0].Request.Method, h.Sink.Completed[0].Response!.StatusCode));
            Assert.Equal(("POST", 201), (h.Sink.Completed[1].Request.Method, h.Sink.Completed[1].Response!.StatusCode));
            Assert.Equal(("/upload", 503), (h.Sink.Completed[2].Request.Path, h.Sink.Completed[2].Response!.StatusCode));
        }
    }

    [Fact]
    public void KeepAlive_HundredRequests_HundredExchangesInOrder()
    {
        var h = new ParserHarness();

        for (int i = 0; i < 100; i++)
        {
            h.Read($"GET /items/{i} HTTP/1.1\r\nHost: x\r\n\r\n");
            string body = new('x', i);
            h.Write($"HTTP/1.1 200 OK\r\nContent-Length: {i}\r\n\r\n{body}");
        }

        Assert.Equal(100, h.Sink.Completed.Count);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal($"/items/{i}", h.Sink.Completed[i].Request.Path);
        }

        Assert.Equal(0, h.Parser.PendingRequests);
    }

    [Fact]
    public void Continue100_BeforeFinalResponse_OneExchangeWithFinalStatus()
    {
        var h = new ParserHarness();

        var first = h.Read("PUT /big HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        var cont = h.Write("HTTP/1.1 100 Continue\r\n\r\n");
        h.Read("data");
        var last = h.Write("HTTP/1.1 204 No Content\r\n\r\n");

        var (req, resp) = Assert.Single(h.Sink.Completed);
        Assert.Equal(first.TimestampNs, req.FirstEntryNs);
        Assert.Equal(204, resp!.StatusCode);
        Assert.Equal(cont.TimestampNs, resp.FirstEntryNs);
        Assert.Equal(last.ExitTimestampNs, resp.LastExitNs);
    }

    [Fact]
    public void Head_ResponseWithContentLength_HasNoBody()
    {
        var h = new ParserHarness();

        h.Read("HEAD /file HTTP/1.1\r\n\r\n");
        h.Write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        h.Read("GET /next HTTP/1.1\r\n\r\n");
        h.Write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(2, h.Sink.Completed.Count);
        Assert.Equal(404, h.Sink.Completed[1].Response!.StatusCode);
        Assert.Equal(0, h.ParseErrors);
    }

    [Theory]
    [InlineData(204)]
    [InlineData(304)]
    public void NoBodyStatus_WithContentLength_HasNoBody(int status)
    {
        var h = new ParserHarness();

        h.Read("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        h.Write($"HTTP/1.1 {status} X\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(2, h.Sink.Completed.Count);
        Assert.Equal(status, h.Sink.Completed[0].Response!.StatusCode);
        Assert.Equal(200, h.Sink.Completed[1].Response!.StatusCode);
    }

    [Fact]
    public void ResponseBody_LargerThanCapture_CountsUncapturedBytesAndStaysInSync()
    {
        var h = new ParserHarness();
        var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n");
        var captured = head.Concat(new byte[4096 - head.Length]).ToArray();

        h.Read(Get);
        var write = h.Script.Data(Direction.Egress, captured, (uint)(1048576 + head.Length - 4096));
        h.Feed(write);
        h.Read("GET /second HTTP/1.1\r\n\r\n");
        h.Write(Ok);

        Assert.Equal(2, h.Sink.Completed.Count);
        Assert.Equal(write.ExitTimestampNs, h.Sink.Completed[0].Response!.LastExitNs);
        Assert.Equal("/second", h.Sink.Completed[1].Request.Path);
        Assert.Equal(0, h.ParseErrors);
    }

    [Fact]
    public void ResponseBody_SpreadOverManyTruncatedWrites_EndsAtLastByte()
    {
        var h = new ParserHarness();

        h.Read(Get);
        h.Write("HTTP/1.1 200 OK\r\nContent-Length: 30000\r\n\r\n");
        SocketEvent? last = null;
        for (int i = 0; i < 3; i++)
        {
            last = h.Script.Data(Direction.Egress, new byte[100], 9900);
            h.Feed(last);
        }

        var (_, resp) = Assert.Single(h.Sink.Completed);
        Assert.Equal(last!.ExitTimestampNs, resp!.LastExitNs);
    }

    [Fact]
    public void ChunkedBody_FramingBeyondCapture_EndsAtLastChunkOrNextRequest()
    {
        var h = new ParserHarness();

        h.Read(Get);
        h.Feed(h.Script.Data(Direction.Egress, Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4000\r\nabc"), 20000));
        var end = h.Write("0\r\n\r\n");

        var (_, resp) = Assert.Single(h.Sink.Completed);
        Assert.Equal(200, resp!.StatusCode);
        Assert.Equal(end.ExitTimestampNs, resp.LastExitNs);
        Assert.Equal(1, h.Stats.Resyncs);
    }

    [Fact]
    public void ChunkedBody_FramingLost_NextRequestEndsPreviousResponse()
    {
        var h = new ParserHarness();

        h.Read(Get);
        var body = h.Script.Data(Direction.Egress, Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4000\r\n"), 20000);
        h.Feed(body);
        h.Read("GET /next HTTP/1.1\r\n\r\n");
        h.Write(Ok);

        Assert.Equal(2, h.Sink.Completed.Count);
        Assert.Equal(body.ExitTimestampNs, h.Sink.Completed[0].Response!.LastExitNs);
        Assert.Equal("/next", h.Sink.Completed[1].Request.Path);
    }

    [Fact]
    public void RequestDirectionGap_ResyncsAtNextRequest_AndDropsResponseOfLostRequest()
    {
        var h = new ParserHarness();

        h.Read("GET /one HTTP/1.1\r\n\r\n");
        h.Write(Ok);
        h.Script.Lose(Direction.Ingress, 30); // "GET /two …" never reached us
        h.Write("HTTP/1.1 500 Lost\r\nContent-Length: 0\r\n\r\n");
        h.Read("GET /three HTTP/1.1\r\n\r\n");
        h.Write("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        h.Close();

        Assert.Equal(2, h.Sink.Completed.Count);
        Assert.Equal(("/one", 200), (h.Sink.Completed[0].Request.Path, h.Sink.Completed[0].Response!.StatusCode));
        Assert.Equal(("/three", 202), (h.Sink.Completed[1].Request.Path, h.Sink.Completed[1].Response!.StatusCode));
        Assert.Equal(1, h.Stats.Gaps);
        Assert.Equal(1, h.Stats.UnpairedResponses);
    }

    [Fact]
    public void ResponseDirectionGap_PairsNextResponseWithLatestRequest()
    {
        var h = new ParserHarness();
        h.Read("GET /zero HTTP/1.1\r\n\r\n");
        h.Write(Ok);
        h.Sink.Completed.Clear();

        h.Read("GET /one HTTP/1.1\r\n\r\n");
        h.Script.Lose(Direction.Egress, 50); // the response to /one was lost
        h.Read("GET /two HTTP/1.1\r\n\r\n");
        h.Write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        h.FlushHoles();

        var (req, resp) = Assert.Single(h.Sink.Completed);
        Assert.Equal("/two", req.Path);
        Assert.Equal(201, resp!.StatusCode);
        Assert.Equal("/one", Assert.Single(h.Sink.Dropped).Path);
        Assert.Equal(1, h.Stats.Gaps);
    }

    [Fact]
    public void GapInsideResponseBody_ResponseEndsWithNextMessage()
    {
        var h = new ParserHarness();

        h.Read("GET /one HTTP/1.1\r\n\r\n");
        var start = h.Write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        h.Script.Lose(Direction.Egress, 90);
        h.Read("GET /two HTTP/1.1\r\n\r\n");
        h.Write(Ok);
        h.FlushHoles();

        Assert.Equal(2, h.Sink.Completed.Count);
        Assert.Equal(200, h.Sink.Completed[0].Response!.StatusCode);
        Assert.Equal(start.ExitTimestampNs, h.Sink.Completed[0].Response!.LastExitNs);
        Assert.Equal("/two", h.Sink.Completed[1].Request.Path);
    }

    [Fact]
    public void OutOfOrderSegments_AreReordered()
    {
        var h = new ParserHarness();
        var first = h.Script.Data(Direction.Ingress, Encoding.ASCII.GetBytes("GET /late HT"));
        var second = h.Script.Data(Direction.Ingress, Encoding.ASCII.GetBytes("TP/1.1\r\n\r\n"));

        h.Feed(second);
        h.Feed(first);
        h.Write(Ok);

        var (req, _) = Assert.Single(h.Sink.Completed);
        Assert.Equal("/late", req.Path);
        Assert.Equal(0, h.Stats.Gaps);
    }

    [Fact]
    public void MidStreamAttach_SkipsUntilPlausibleStart_AndInfersServerRole()
    {
        var h = new ParserHarness(ConnectionRole.Unknown);
        h.Script.Lose(Direction.Ingress, 5000);
        h.Script.Lose(Direction.Egress, 7000);

        h.Read("tail of a previous body\r\n\r\n");
        h.Write("more body bytes HTTP/1.1 200 OK\r\n");
        h.Read("DELETE /users/7 HTTP/1.1\r\nHost: x\r\n\r\n");
        h.Write("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");

        var (req, resp) = Assert.Single(h.Sink.Completed);
        Assert.Equal(ConnectionRole.Server, h.Connection.Role);
        Assert.Equal("DELETE", req.Method);
        Assert.Equal("1.0", resp!.Version);
    }

    [Theory]
    [InlineData(Direction.Egress, ConnectionRole.Client)]
    [InlineData(Direction.Ingress, ConnectionRole.Server)]
    public void UnknownRole_RequestDirection_DecidesRole(Direction requestDirection, ConnectionRole expected)
    {
        var h = new ParserHarness(ConnectionRole.Unknown);

        h.Send(requestDirection, Get);
        h.Send(requestDirection == Direction.Ingress ? Direction.Egress : Direction.Ingress, Ok);

        Assert.Equal(expected, h.Connection.Role);
        Assert.Single(h.Sink.Completed);
    }

    [Fact]
    public void CloseMidRequest_HeadComplete_ReportsExchangeWithoutResponse()
    {
        var h = new ParserHarness();

        h.Read("POST /slow HTTP/1.1\r\nContent-Length: 100\r\n\r\npartial");
        h.Close();

        var (req, resp) = Assert.Single(h.Sink.Completed);
        Assert.Equal("/slow", req.Path);
        Assert.Null(resp);
        Assert.Equal(1, h.Stats.RequestsWithoutResponse);
    }

    [Fact]
    public void CloseMidRequest_HeadIncomplete_ReportsNothing()
    {
        var h = new ParserHarness();

        h.Read("GET /never HTTP/1.1\r\nHost: x\r\n");
        h.Close();

        Assert.Empty(h.Sink.Started);
        Assert.Empty(h.Sink.Completed);
    }

    [Fact]
    public void ResponseWithoutLength_EndsAtClose()
    {
        var h = new ParserHarness();

        h.Read("GET /legacy HTTP/1.0\r\n\r\n");
        h.Write("HTTP/1.0 200 OK\r\n\r\nsome");
        var last = h.Write("more bytes");
        h.Close();

        var (_, resp) = Assert.Single(h.Sink.Completed);
        Assert.Equal(last.ExitTimestampNs, resp!.LastExitNs);
    }

    [Fact]
    public void OversizeHead_CountsParseError_AndResyncs()
    {
        var h = new ParserHarness();

        h.Read("GET / HTTP/1.1\r\nX-Big: " + new string('a', 9000) + "\r\n\r\n");
        h.Read("GET /ok HTTP/1.1\r\n\r\n");
        h.Write(Ok);

        Assert.Equal(1, h.ParseErrors);
        var (req, resp) = Assert.Single(h.Sink.Completed);
        Assert.Equal("/ok", req.Path);
        Assert.Equal(200, resp!.StatusCode);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    public void MalformedResponse_CountsParseError(string response)
    {
        var h = new ParserHarness();

        h.Read(Get);
        h.Write(response);

        Assert.Equal(1, h.ParseErrors);
    }

    [Theory]
    [InlineData("GET /x HTTP/2.0\r\n\r\n")]
    [InlineData("GET /x y HTTP/1.1\r\n\r\n")]
    [InlineData("GET x HTTP/1.1\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")]
    public void MalformedRequest_CountsParseError_AndReportsNothing(string request)
    {
        var h = new ParserHarness();
        h.Read("GET /ok HTTP/1.1\r\n\r\n");

        h.Read(request);

        Assert.Equal(1, h.ParseErrors);
        Assert.Equal("/ok", Assert.Single(h.Sink.Started).Path);
    }

    [Fact]
    public void SwitchingProtocols_CompletesExchange_AndIgnoresWhatFollows()
    {
        var h = new ParserHarness();

        h.Read("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        h.Write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
        h.Read("\x81\x05hello GET / HTTP/1.1\r\n\r\n");
        h.Read("GET /not-http HTTP/1.1\r\n\r\n");

        var (_, resp) = Assert.Single(h.Sink.Completed);
        Assert.Equal(101, resp!.StatusCode);
        Assert.Single(h.Sink.Started);
        Assert.Equal(0, h.ParseErrors);
    }

    [Fact]
    public void RequestHead_KeepsOnlySpanFields()
    {
        var h = new ParserHarness();

        h.Read("GET http://user:pw@Example.COM:9090/a/b?q=1#frag HTTP/1.1\r\nHost: ignored\r\nAuthorization: Bearer secret\r\n" +
            "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\ntracestate: a=1\r\n\r\n");

        var req = Assert.Single(h.Sink.Started);
        Assert.Equal("/a/b", req.Path);
        Assert.Equal("example.com", req.Host);
        Assert.Equal(9090, req.HostPort);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", req.TraceParent);
        Assert.Equal("a=1", req.TraceState);
        Assert.Null(req.UserAgent);
    }

    [Fact]
    public void EmptyLinesBeforeRequest_AreIgnored()
    {
        var h = new ParserHarness();

        h.Read("GET /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n\r\n");
        h.Read("GET /b HTTP/1.1\r\n\r\n");

        Assert.Equal(2, h.Sink.Started.Count);
        Assert.Equal(0, h.ParseErrors);
    }
}
