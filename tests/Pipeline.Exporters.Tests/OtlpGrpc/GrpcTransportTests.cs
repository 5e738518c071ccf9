using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Exporters.Tests.Helper;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;
using static Pipeline.Exporters.Tests.OtlpGrpc.GrpcTestSupport;

namespace Pipeline.Exporters.Tests.OtlpGrpc;

/// <summary>The exporter's own gRPC unary call: large multi-segment batches, status mapping, wait_for_ready.</summary>
public sealed class GrpcTransportTests
{
    private readonly LogLineRecorder _logs = new();

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public async Task ConsumeAsync_LargeBatchOfManySegments_ArrivesByteIdentical(string compression)
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        var config = Config(server.Endpoint);
        config.Compression = compression;
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);
        var (batch, expected, spans) = ManySegments(parts: 150);

        await exporter.ConsumeAsync(batch, default);
        await exporter.ShutdownAsync(default);

        var received = Assert.Single(server.Service.Received);
        Assert.True(expected.Length > 1_000_000, $"the batch is only {expected.Length} bytes");
        Assert.Equal(expected, received.Request.ToByteArray());
        Assert.Equal(spans, server.Service.SpanCount);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("zstd")]
    public async Task ConsumeAsync_DecodedBatch_IsEncodedAndSent(string compression)
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        var config = Config(server.Endpoint);
        config.Compression = compression;
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(Traces.FromRequest(TestTraces.Request(700, "cart")), default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(TestTraces.Request(700, "cart"), Assert.Single(server.Service.Received).Request);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public async Task ConsumeAsync_CompressedResponse_IsDecompressedAndRead(string responseCompression)
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync(responseCompression: responseCompression);
        server.Service.Respond = _ => new ExportTraceServiceResponse { PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = 1, ErrorMessage = new string('x', 2000) } };
        var exporter = Create(Settings(_logs), Config(server.Endpoint));
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(2).Batch, default);
        await exporter.ShutdownAsync(default);

        Assert.Equal([$"Partial success response (message: {new string('x', 2000)}, dropped_spans: 1)"], _logs.At(LogLevel.Warning));
    }

    [Fact]
    public async Task ConsumeAsync_StatusMessageWithEscapes_IsDecoded()
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        server.Service.Respond = _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "bad span: naïve 100% (id ü)"));
        var exporter = Create(Settings(_logs), Config(server.Endpoint));
        await exporter.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<PermanentException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        await exporter.ShutdownAsync(default);

        Assert.Equal("not retryable error: rpc error: code = InvalidArgument desc = bad span: naïve 100% (id ü)", error.Message);
    }

    [Theory]
    [InlineData(503, StatusCode.Unavailable, "Service Unavailable")]
    [InlineData(429, StatusCode.Unavailable, "Too Many Requests")]
    [InlineData(502, StatusCode.Unavailable, "Bad Gateway")]
    public async Task ConsumeAsync_HttpErrorWithoutGrpcStatus_IsRetryableAsGrpcGoMapsIt(int httpStatus, StatusCode code, string reason)
    {
        await using var server = await PlainHttp2Server.StartAsync(httpStatus);
        var config = Config(server.Endpoint);
        config.Retry.Enabled = false;
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<ConsumerException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        await exporter.ShutdownAsync(default);

        Assert.Equal(code, error.Code);
        Assert.Equal($"rpc error: code = Unavailable desc = unexpected HTTP status code received from server: {httpStatus} ({reason})", error.Message);
        Assert.Equal(1, server.Calls);
    }

    [Theory]
    [InlineData(404, "Unimplemented", "Not Found")]
    [InlineData(401, "Unauthenticated", "Unauthorized")]
    [InlineData(200, "Internal", null)]
    public async Task ConsumeAsync_HttpResponseThatIsNotGrpc_IsPermanent(int httpStatus, string code, string? reason)
    {
        await using var server = await PlainHttp2Server.StartAsync(httpStatus);
        var exporter = Create(Settings(_logs), Config(server.Endpoint));
        await exporter.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<PermanentException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        await exporter.ShutdownAsync(default);

        string detail = reason is null
            ? "transport: received unexpected content-type \"text/plain\""
            : $"unexpected HTTP status code received from server: {httpStatus} ({reason})";
        Assert.Equal($"not retryable error: rpc error: code = {code} desc = {detail}", error.Message);
        Assert.Equal(1, server.Calls);
    }

    [Fact]
    public async Task ConsumeAsync_ServerNeverAnswers_FailsWithDeadlineExceededAfterTheTimeout()
    {
        using var release = new ManualResetEventSlim();
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        server.Service.Respond = _ =>
        {
            release.Wait(Poll.Deadline);
            return new ExportTraceServiceResponse();
        };
        var config = Config(server.Endpoint);
        config.Retry.Enabled = false;
        config.Timeout.Timeout = TimeSpan.FromMilliseconds(200);
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<ConsumerException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        release.Set();
        await exporter.ShutdownAsync(default);

        Assert.Equal(StatusCode.DeadlineExceeded, error.Code);
        Assert.StartsWith("request timed out after 200ms: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumeAsync_ServerDownWithoutWaitForReady_FailsAtOnceAsUnavailable()
    {
        int port = await FreePortAsync();
        var config = Config("127.0.0.1:" + port);
        config.Retry.Enabled = false;
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<ConsumerException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        await exporter.ShutdownAsync(default);

        Assert.Equal(StatusCode.Unavailable, error.Code);
        Assert.StartsWith("rpc error: code = Unavailable desc = connection error: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumeAsync_WaitForReady_WaitsForTheServerToComeUp()
    {
        int port = await FreePortAsync();
        var config = Config("127.0.0.1:" + port);
        config.WaitForReady = true;
        config.Retry.Enabled = false;
        config.Timeout.Timeout = Poll.Deadline;
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);

        var export = exporter.ConsumeAsync(TestTraces.Encoded(2).Batch, default).AsTask();
        await using var server = await FakeOtlpGrpcServer.StartAsync(port);
        await export;
        await exporter.ShutdownAsync(default);

        Assert.Equal(2, server.Service.SpanCount);
    }

    // A batch as the batch processor builds it: one segment per received request, large ones and tiny ones.
    private static (Traces Batch, byte[] Bytes, int Spans) ManySegments(int parts)
    {
        var batches = new List<Traces>();
        var all = new List<byte>();
        int spans = 0;
        for (int i = 0; i < parts; i++)
        {
            int count = i % 3 == 0 ? 1 : 200;
            spans += count;
            var (part, bytes) = TestTraces.Encoded(count, "svc-" + i);
            batches.Add(part);
            all.AddRange(bytes);
        }

        return (Traces.Concat(batches), all.ToArray(), spans);
    }

    private static async Task<int> FreePortAsync()
    {
        await using var probe = await FakeOtlpGrpcServer.StartAsync();
        return probe.Port;
    }

    /// <summary>An HTTP/2 server that answers every request with one status and a text body, no gRPC at all (a
    /// proxy or load balancer in front of the backend).</summary>
    private sealed class PlainHttp2Server : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _calls;

        private PlainHttp2Server(WebApplication app) => _app = app;

        public string Endpoint { get; private set; } = string.Empty;

        public int Calls => Volatile.Read(ref _calls);

        public static async Task<PlainHttp2Server> StartAsync(int status)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
            var app = builder.Build();
            var server = new PlainHttp2Server(app);
            app.Run(async context =>
            {
                Interlocked.Increment(ref server._calls);
                await context.Request.Body.CopyToAsync(Stream.Null);
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("not a gRPC server");
            });
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.Endpoint = "127.0.0.1:" + new Uri(address).Port;
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
