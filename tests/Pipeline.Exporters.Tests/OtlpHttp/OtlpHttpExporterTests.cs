using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Exporters.OtlpHttp;
using Pipeline.Exporters.Tests.Helper;
using Pipeline.Exporters.Tests.OtlpGrpc;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Exporters.Tests.OtlpHttp;

public sealed class OtlpHttpExporterTests
{
    private readonly LogLineRecorder _logs = new();

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    [InlineData("deflate")]
    [InlineData("none")]
    public async Task ConsumeAsync_PassThroughBatch_PostsIdenticalBytesCompressed(string compression)
    {
        await using var server = await FakeOtlpHttpServer.StartAsync();
        var config = Config(server.BaseUrl);
        config.Compression = compression;
        config.Headers["X-Tenant"] = "acme";
        var exporter = Create(config);
        await exporter.StartAsync(NopHost.Instance, default);
        var (batch, bytes) = TestTraces.Encoded(3);

        await exporter.ConsumeAsync(batch, default);
        await exporter.ShutdownAsync(default);

        var received = Assert.Single(server.Received);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/v1/traces", received.Path);
        Assert.Equal(bytes, received.Body);
        Assert.True(batch.IsEncodedOnly);
        Assert.Equal("application/x-protobuf", received.Headers["Content-Type"]);
        Assert.Equal(compression == "none" ? null : compression, received.Headers.GetValueOrDefault("Content-Encoding"));
        Assert.Equal("acme", received.Headers["X-Tenant"]);
        Assert.Equal("Pipeline/1.2.3", received.Headers["User-Agent"]);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("none")]
    public async Task ConsumeAsync_BatchLargerThanManyChunks_PostsIdenticalBytes(string compression)
    {
        await using var server = await FakeOtlpHttpServer.StartAsync();
        var config = Config(server.BaseUrl);
        config.Compression = compression;
        var exporter = Create(config);
        await exporter.StartAsync(NopHost.Instance, default);
        var (batch, bytes) = TestTraces.Encoded(5000);

        await exporter.ConsumeAsync(batch, default);
        await exporter.ShutdownAsync(default);

        Assert.True(bytes.Length > 4 * Pipeline.Exporters.Helper.PooledChunkWriter.ChunkSize, $"the batch is only {bytes.Length} bytes");
        Assert.Equal(bytes, Assert.Single(server.Received).Body);
    }

    [Fact]
    public async Task ConsumeAsync_JsonEncoding_PostsOtlpJson()
    {
        await using var server = await FakeOtlpHttpServer.StartAsync();
        var config = Config(server.BaseUrl);
        config.Encoding = "json";
        var exporter = Create(config);
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(2).Batch, default);
        await exporter.ShutdownAsync(default);

        var received = Assert.Single(server.Received);
        Assert.Equal("application/json", received.Headers["Content-Type"]);
        Assert.Equal("gzip", received.Headers["Content-Encoding"]);
        Assert.Equal(TestTraces.Request(2), Pipeline.Telemetry.Otlp.Json.OtlpJson.ParseTraces(received.Body));
    }

    [Fact]
    public async Task ConsumeAsync_SignalEndpoint_OverridesTheBaseUrl()
    {
        await using var server = await FakeOtlpHttpServer.StartAsync();
        var config = Config("http://127.0.0.1:1");
        config.TracesEndpoint = server.BaseUrl + "/custom/spans";
        var exporter = Create(config);
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
        await exporter.ShutdownAsync(default);

        Assert.Equal("/custom/spans", Assert.Single(server.Received).Path);
    }

    [Fact]
    public async Task ConsumeAsync_ServiceUnavailableWithRetryAfter_WaitsRetryAfterThenRetries()
    {
        await using var server = await FakeOtlpHttpServer.StartAsync();
        server.Respond = (call, response) =>
        {
            if (call == 1)
            {
                response.StatusCode = 503;
                response.Headers.RetryAfter = "120";
            }

            return Task.CompletedTask;
        };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var config = Config(server.BaseUrl);
        config.Retry.RandomizationFactor = 0;
        config.Retry.InitialInterval = TimeSpan.FromSeconds(1);
        config.Timeout.Timeout = TimeSpan.Zero;
        var exporter = Create(config, time);
        await exporter.StartAsync(NopHost.Instance, default);

        var consume = exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask();
        bool done = await Poll.PumpAsync(time, consume, TimeSpan.FromSeconds(10));
        await consume;
        await exporter.ShutdownAsync(default);

        Assert.True(done);
        Assert.Equal(2, server.Calls);
        Assert.Equal(
            [$"Exporting failed. Will retry the request after interval. (error: error exporting items, request to {server.BaseUrl}/v1/traces responded with HTTP Status Code 503, interval: 2m0s)"],
            _logs.At(LogLevel.Information));
    }

    [Fact]
    public async Task ConsumeAsync_TooManyRequestsWithHttpDate_HonoursTheDate()
    {
        await using var server = await FakeOtlpHttpServer.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        server.Respond = (call, response) =>
        {
            if (call == 1)
            {
                response.StatusCode = 429;
                response.Headers.RetryAfter = time.GetUtcNow().AddSeconds(45).ToString("R");
            }

            return Task.CompletedTask;
        };
        var config = Config(server.BaseUrl);
        config.Retry.RandomizationFactor = 0;
        config.Retry.InitialInterval = TimeSpan.FromSeconds(1);
        config.Timeout.Timeout = TimeSpan.Zero;
        var exporter = Create(config, time);
        await exporter.StartAsync(NopHost.Instance, default);

        var consume = exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask();
        await Poll.UntilAsync(() => _logs.At(LogLevel.Information).Count == 1);
        string line = _logs.At(LogLevel.Information)[0];
        await Poll.PumpAsync(time, consume, TimeSpan.FromSeconds(5));
        await consume;
        await exporter.ShutdownAsync(default);

        Assert.EndsWith("responded with HTTP Status Code 429, interval: 45s)", line, StringComparison.Ordinal);
        Assert.Equal(2, server.Calls);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(504)]
    public async Task ConsumeAsync_GatewayErrors_AreRetried(int status)
    {
        await using var server = await FakeOtlpHttpServer.StartAsync();
        server.Respond = (call, response) =>
        {
            response.StatusCode = call == 1 ? status : 200;
            return Task.CompletedTask;
        };
        var config = Config(server.BaseUrl);
        config.Retry.InitialInterval = TimeSpan.FromMilliseconds(10);

        var exporter = Create(config);
        await exporter.StartAsync(NopHost.Instance, default);
        await exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(2, server.Calls);
    }

    [Fact]
    public async Task ConsumeAsync_BadRequestWithStatusBody_IsPermanentWithOtelcolText()
    {
        await using var server = await FakeOtlpHttpServer.StartAsync();
        server.Respond = async (_, response) =>
        {
            response.StatusCode = 400;
            response.ContentType = "application/x-protobuf";
            var status = new Google.Rpc.Status { Code = 3, Message = "span name missing" };
            await response.Body.WriteAsync(status.ToByteArray());
        };
        var exporter = Create(Config(server.BaseUrl));
        await exporter.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<PermanentException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        await exporter.ShutdownAsync(default);

        Assert.Equal($"not retryable error: error exporting items, request to {server.BaseUrl}/v1/traces responded with HTTP Status Code 400, Message=span name missing, Details=[]", error.Message);
        Assert.Equal(1, server.Calls);
    }

    [Fact]
    public async Task ConsumeAsync_JsonErrorStatus_IsDescribed()
    {
        await using var server = await FakeOtlpHttpServer.StartAsync();
        server.Respond = async (_, response) =>
        {
            response.StatusCode = 401;
            response.ContentType = "application/json";
            await response.WriteAsync("""{"code":16,"message":"missing api key","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"x"}]}""");
        };
        var exporter = Create(Config(server.BaseUrl));
        await exporter.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<PermanentException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        await exporter.ShutdownAsync(default);

        Assert.Equal($"not retryable error: error exporting items, request to {server.BaseUrl}/v1/traces responded with HTTP Status Code 401, Message=missing api key, Details=[type.googleapis.com/google.rpc.ErrorInfo]", error.Message);
    }

    [Fact]
    public async Task ConsumeAsync_PartialSuccessProto_LogsWarning()
    {
        await using var server = await FakeOtlpHttpServer.StartAsync();
        server.Respond = async (_, response) =>
        {
            response.ContentType = "application/x-protobuf";
            var body = new ExportTraceServiceResponse { PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = 1, ErrorMessage = "too old" } };
            await response.Body.WriteAsync(body.ToByteArray());
        };
        var exporter = Create(Config(server.BaseUrl));
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(2).Batch, default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(["Partial success response (message: too old, dropped_spans: 1)"], _logs.At(LogLevel.Warning));
    }

    [Fact]
    public async Task ConsumeAsync_PartialSuccessJson_LogsWarning()
    {
        await using var server = await FakeOtlpHttpServer.StartAsync();
        server.Respond = async (_, response) =>
        {
            response.ContentType = "application/json";
            await response.WriteAsync("""{"partialSuccess":{"rejectedSpans":"3","errorMessage":"quota"}}""");
        };
        var exporter = Create(Config(server.BaseUrl));
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(3).Batch, default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(["Partial success response (message: quota, dropped_spans: 3)"], _logs.At(LogLevel.Warning));
    }

    [Fact]
    public async Task ConsumeAsync_ConnectionRefused_IsRetryable()
    {
        var config = Config("http://127.0.0.1:1");
        config.Retry.Enabled = false;
        var exporter = Create(config);
        await exporter.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<ConsumerException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        await exporter.ShutdownAsync(default);

        Assert.Equal(Grpc.Core.StatusCode.Unavailable, error.Code);
        Assert.StartsWith("failed to make an HTTP request: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumeAsync_HttpsWithCaFile_Delivers()
    {
        using var certs = new TestCertificates();
        await using var server = await FakeOtlpHttpServer.StartAsync(certs.Server);
        var config = Config(server.BaseUrl);
        config.Tls.CaFile = certs.CaFile;
        var exporter = Create(config);
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(2).Batch, default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(TestTraces.Request(2), ExportTraceServiceRequest.Parser.ParseFrom(Assert.Single(server.Received).Body));
    }

    [Fact]
    public async Task ConsumeAsync_HttpsUntrusted_Fails()
    {
        using var certs = new TestCertificates();
        await using var server = await FakeOtlpHttpServer.StartAsync(certs.Server);
        var config = Config(server.BaseUrl);
        config.Retry.Enabled = false;
        var exporter = Create(config);
        await exporter.StartAsync(NopHost.Instance, default);

        await Assert.ThrowsAsync<ConsumerException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        await exporter.ShutdownAsync(default);

        Assert.Equal(0, server.Calls);
    }

    [Fact]
    public void CreateExporter_NoUrlForSignal_Throws()
    {
        var config = new OtlpHttpConfig { MetricsEndpoint = "http://collector:4318/v1/metrics" };

        var error = Assert.Throws<InvalidOperationException>(() => new OtlpHttpFactory().CreateExporter<Traces>(GrpcTestSupport.Settings(_logs, "otlp_http"), config));

        Assert.Equal("exporters::otlp_http: traces_endpoint or endpoint must be set to export traces.", error.Message);
    }

    private static OtlpHttpConfig Config(string endpoint)
    {
        var config = (OtlpHttpConfig)new OtlpHttpFactory().CreateDefaultConfig();
        config.Endpoint = endpoint;
        config.Queue.Enabled = false;
        config.Retry.InitialInterval = TimeSpan.FromMilliseconds(20);
        config.Retry.MaxInterval = TimeSpan.FromMilliseconds(100);
        return config;
    }

    private IExporter<Traces> Create(OtlpHttpConfig config, TimeProvider? time = null) =>
        new OtlpHttpFactory().CreateExporter<Traces>(GrpcTestSupport.Settings(_logs, "otlp_http", time), config);
}
