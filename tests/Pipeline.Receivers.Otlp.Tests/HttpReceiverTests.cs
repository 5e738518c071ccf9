using System.Net;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Telemetry;
using Xunit;

namespace Pipeline.Receivers.Otlp.Tests;

public sealed class HttpReceiverTests
{
    [Fact]
    public async Task Traces_Protobuf_AcceptedAndPassedOnEncoded()
    {
        await using var h = await ReceiverHarness.StartAsync();
        var request = Payloads.Traces(3);

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(request));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType!.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var batch = Assert.Single(h.Traces.Batches);
        Assert.True(batch.IsEncodedOnly);
        Assert.Equal(3, batch.ItemCount);
        Assert.Equal(request, batch.Request);
    }

    [Fact]
    public async Task Metrics_Protobuf_CountsDataPoints()
    {
        await using var h = await ReceiverHarness.StartAsync();

        using var response = await h.Http.PostAsync("/v1/metrics", ReceiverHarness.Protobuf(Payloads.Metrics(4)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, h.Metrics.ItemCount);
    }

    [Fact]
    public async Task Logs_ProtobufWithCharset_Accepted()
    {
        await using var h = await ReceiverHarness.StartAsync();

        using var response = await h.Http.PostAsync("/v1/logs", ReceiverHarness.Protobuf(Payloads.Logs(2), "application/x-protobuf; charset=utf-8"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Logs.ItemCount);
    }

    [Fact]
    public async Task Traces_Json_AcceptedAndAnsweredInJson()
    {
        await using var h = await ReceiverHarness.StartAsync();

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body(Encoding.UTF8.GetBytes(Payloads.TraceJson), "application/json; charset=utf-8"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        var span = Assert.Single(h.Traces.Batches).Request.ResourceSpans[0].ScopeSpans[0].Spans[0];
        Assert.Equal("GET /cart", span.Name);
        Assert.Equal("5b8efff798038103d269b633813fc60c", Convert.ToHexStringLower(span.TraceId.ToByteArray()));
    }

    [Fact]
    public async Task Traces_MalformedJson_400WithJsonStatus()
    {
        await using var h = await ReceiverHarness.StartAsync();

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body("{\"resourceSpans\":[{"u8.ToArray(), "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("{\"code\":3,\"message\":\"", await response.Content.ReadAsStringAsync());
        Assert.Empty(h.Traces.Batches);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("zlib")]
    [InlineData("zstd")]
    [InlineData("")]
    public async Task Traces_CompressedBody_Accepted(string encoding)
    {
        await using var h = await ReceiverHarness.StartAsync();
        byte[] body = Compress.Encode(encoding, Payloads.Traces(5).ToByteArray());

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body(body, "application/x-protobuf", encoding.Length == 0 ? null : encoding));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, h.Traces.ItemCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public async Task Traces_ChunkedBody_Accepted(string? encoding)
    {
        await using var h = await ReceiverHarness.StartAsync();
        byte[] body = Compress.Encode(encoding ?? string.Empty, Payloads.Traces(6).ToByteArray());

        using var response = await h.Http.PostAsync("/v1/traces", new ChunkedContent(body, "application/x-protobuf", encoding));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(6, h.Traces.ItemCount);
    }

    [Fact]
    public async Task Traces_EmptyRequest_200WithoutCallingConsumer()
    {
        await using var h = await ReceiverHarness.StartAsync();
        h.Traces.Refuse = _ => new InvalidOperationException("must not be called");

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body([], "application/x-protobuf"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(h.Traces.Batches);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Rejects_MethodOtherThanPost_405(string method)
    {
        await using var h = await ReceiverHarness.StartAsync();

        using var response = await h.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/v1/traces"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("405 method not allowed, supported: [POST]", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/protobuf")]
    [InlineData("application/grpc")]
    public async Task Rejects_UnsupportedMediaType_415(string contentType)
    {
        await using var h = await ReceiverHarness.StartAsync();

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body([1, 2], contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("415 unsupported media type, supported: [application/json, application/x-protobuf]", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Rejects_MalformedProtobuf_400WithInvalidArgumentStatus()
    {
        await using var h = await ReceiverHarness.StartAsync();

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body([0x0A, 0x7F, 0x01], "application/x-protobuf"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((int)StatusCode.InvalidArgument, status.Code);
        Assert.Equal("proto: cannot parse invalid wire-format data: length 127 runs past the end of the message", status.Message);
    }

    [Fact]
    public async Task Rejects_BodyOverLimit_400()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.MaxRequestBodySize = 1000);
        byte[] body = Payloads.Traces(50).ToByteArray();

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body(body, "application/x-protobuf"));

        Assert.True(body.Length > 1000);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((int)StatusCode.InvalidArgument, status.Code);
        Assert.Equal("http: request body too large", status.Message);
    }

    [Fact]
    public async Task Rejects_ChunkedBodyOverLimit_400()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.MaxRequestBodySize = 1000);

        using var response = await h.Http.PostAsync("/v1/traces", new ChunkedContent(Payloads.Traces(50).ToByteArray(), "application/x-protobuf"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("http: request body too large", Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Message);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    [InlineData("deflate")]
    public async Task Rejects_DecompressionBomb_400AndNextRequestStillServed(string encoding)
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.MaxRequestBodySize = 1 << 20);
        byte[] bomb = Compress.Encode(encoding, new byte[64 << 20]);

        using var rejected = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body(bomb, "application/x-protobuf", encoding));
        using var next = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(1)));

        Assert.True(bomb.Length < 1 << 20);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal("http: request body too large", Google.Rpc.Status.Parser.ParseFrom(await rejected.Content.ReadAsByteArrayAsync()).Message);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, h.Traces.ItemCount);
    }

    [Fact]
    public async Task Rejects_CompressedBodyOverLimitAfterDecompression_400()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.MaxRequestBodySize = 1000);
        byte[] body = Payloads.Traces(50).ToByteArray();
        byte[] gzip = Compress.Gzip(body);

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body(gzip, "application/x-protobuf", "gzip"));

        Assert.True(gzip.Length < 1000 && body.Length > 1000);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Rejects_UnknownContentEncoding_400WithStatusInRequestEncoding()
    {
        await using var h = await ReceiverHarness.StartAsync();

        using var proto = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body([1], "application/x-protobuf", "br"));
        using var json = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body([1], "application/json", "br"));
        using var text = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body([1], "text/plain", "br"));

        Assert.Equal(HttpStatusCode.BadRequest, proto.StatusCode);
        var status = Google.Rpc.Status.Parser.ParseFrom(await proto.Content.ReadAsByteArrayAsync());
        Assert.Equal((int)StatusCode.InvalidArgument, status.Code);
        Assert.Equal("unsupported Content-Encoding: br", status.Message);
        Assert.Equal("{\"code\":3,\"message\":\"unsupported Content-Encoding: br\"}", await json.Content.ReadAsStringAsync());
        Assert.Equal("unsupported Content-Encoding: br", await text.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Rejects_EncodingNotInCompressionAlgorithms_400()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.CompressionAlgorithms = ["", "zstd"]);

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body(Compress.Gzip(Payloads.Traces(1).ToByteArray()), "application/x-protobuf", "gzip"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported Content-Encoding: gzip", Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Message);
    }

    [Fact]
    public async Task Rejects_CorruptGzip_400()
    {
        await using var h = await ReceiverHarness.StartAsync();

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "application/x-protobuf", "gzip"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((int)StatusCode.InvalidArgument, Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Code);
    }

    [Fact]
    public async Task Rejects_MalformedRequest_DoesNotDisturbTheNextOne()
    {
        await using var h = await ReceiverHarness.StartAsync();

        using var bad = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body([0xFF, 0xFF, 0xFF], "application/x-protobuf"));
        using var good = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(2)));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(2, h.Traces.ItemCount);
    }

    [Fact]
    public async Task Rejects_UnregisteredSignalPath_404()
    {
        await using var h = await ReceiverHarness.StartAsync(signals: [Signal.Traces]);

        using var metrics = await h.Http.PostAsync("/v1/metrics", ReceiverHarness.Protobuf(Payloads.Metrics(1)));
        using var other = await h.Http.PostAsync("/v2/traces", ReceiverHarness.Protobuf(Payloads.Traces(1)));

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal("404 page not found\n", await metrics.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Accepts_CustomUrlPath()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.TracesUrlPath = "/otlp/spans");

        using var custom = await h.Http.PostAsync("/otlp/spans", ReceiverHarness.Protobuf(Payloads.Traces(1)));
        using var standard = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(1)));

        Assert.Equal(HttpStatusCode.OK, custom.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, standard.StatusCode);
    }

    public static TheoryData<Exception, HttpStatusCode, int, string> Refusals => new()
    {
        { new InvalidOperationException("queue is full"), HttpStatusCode.ServiceUnavailable, (int)StatusCode.Unavailable, "queue is full" },
        { new PermanentException("bad span"), HttpStatusCode.InternalServerError, (int)StatusCode.Internal, "Permanent error: bad span" },
        { new ConsumerException(StatusCode.ResourceExhausted, "slow down"), HttpStatusCode.TooManyRequests, (int)StatusCode.ResourceExhausted, "slow down" },
        { new ConsumerException(StatusCode.InvalidArgument, "no"), HttpStatusCode.BadRequest, (int)StatusCode.InvalidArgument, "no" },
        { new ConsumerException(StatusCode.Unauthenticated, "who"), HttpStatusCode.Unauthorized, (int)StatusCode.Unauthenticated, "who" },
        { new ConsumerException(StatusCode.PermissionDenied, "denied"), HttpStatusCode.Forbidden, (int)StatusCode.PermissionDenied, "denied" },
        { new ConsumerException(StatusCode.Unimplemented, "nope"), HttpStatusCode.NotFound, (int)StatusCode.Unimplemented, "nope" },
        { new ConsumerException(StatusCode.DeadlineExceeded, "late"), HttpStatusCode.ServiceUnavailable, (int)StatusCode.DeadlineExceeded, "late" },
        { new ConsumerException(StatusCode.Unknown, "what"), HttpStatusCode.InternalServerError, (int)StatusCode.Unknown, "what" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Rejects_ConsumerRefusal_MappedAsOtelcol(Exception refusal, HttpStatusCode expected, int code, string message)
    {
        await using var h = await ReceiverHarness.StartAsync();
        h.Traces.Refuse = _ => refusal;

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(1)));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType!.ToString());
        var status = Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(code, status.Code);
        Assert.Equal(message, status.Message);
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Theory]
    [InlineData(StatusCode.ResourceExhausted, HttpStatusCode.TooManyRequests)]
    [InlineData(StatusCode.Unavailable, HttpStatusCode.ServiceUnavailable)]
    public async Task Rejects_ThrottledWithRetryAfter_SendsRetryAfterSeconds(StatusCode code, HttpStatusCode expected)
    {
        await using var h = await ReceiverHarness.StartAsync();
        h.Traces.Refuse = _ => new ConsumerException(code, "throttled", TimeSpan.FromSeconds(7.9));

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(1)));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("7", Assert.Single(response.Headers.GetValues("Retry-After")));
        var status = Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        var info = Assert.Single(status.Details).Unpack<Google.Rpc.RetryInfo>();
        Assert.Equal(TimeSpan.FromSeconds(7.9), info.RetryDelay.ToTimeSpan());
    }

    [Fact]
    public async Task Rejects_RetryAfterOnNonThrottlingCode_NoHeader()
    {
        await using var h = await ReceiverHarness.StartAsync();
        h.Traces.Refuse = _ => new ConsumerException(StatusCode.Internal, "broken", TimeSpan.FromSeconds(5));

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(1)));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Rejects_RefusalOfJsonRequest_JsonStatusWithRetryInfo()
    {
        await using var h = await ReceiverHarness.StartAsync();
        h.Traces.Refuse = _ => new ConsumerException(StatusCode.ResourceExhausted, "slow down", TimeSpan.FromMilliseconds(1500));

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body(Encoding.UTF8.GetBytes(Payloads.TraceJson), "application/json"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(
            "{\"code\":8,\"message\":\"slow down\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"1.500s\"}]}",
            await response.Content.ReadAsStringAsync());
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("Retry-After")));
    }

    [Fact]
    public async Task Traces_EmptyJsonObject_200WithoutCallingConsumer()
    {
        await using var h = await ReceiverHarness.StartAsync();
        h.Traces.Refuse = _ => new InvalidOperationException("must not be called");

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Body("{}"u8.ToArray(), "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.Empty(h.Traces.Batches);
    }

    [Fact]
    public async Task Accepts_KeepAlivesDisabled_ClosesEachConnection()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.KeepAlivesEnabled = false);

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(1)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.ConnectionClose);
    }

    [Fact]
    public async Task Accepts_ResponseHeaders_OnEveryResponse()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.ResponseHeaders = new() { ["X-Served-By"] = "pipeline" });

        using var ok = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(1)));
        using var notFound = await h.Http.PostAsync("/nowhere", ReceiverHarness.Protobuf(Payloads.Traces(1)));

        Assert.Equal("pipeline", Assert.Single(ok.Headers.GetValues("X-Served-By")));
        Assert.Equal("pipeline", Assert.Single(notFound.Headers.GetValues("X-Served-By")));
    }
}
