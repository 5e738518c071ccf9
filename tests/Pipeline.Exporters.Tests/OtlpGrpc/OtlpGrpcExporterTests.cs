using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Exporters.OtlpGrpc;
using Pipeline.Exporters.Tests.Helper;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;
using static Pipeline.Exporters.Tests.OtlpGrpc.GrpcTestSupport;

namespace Pipeline.Exporters.Tests.OtlpGrpc;

public sealed class OtlpGrpcExporterTests
{
    private readonly LogLineRecorder _logs = new();

    [Fact]
    public async Task ConsumeAsync_PassThroughBatch_ArrivesByteIdenticalGzippedWithHeaders()
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        var config = Config(server.Endpoint);
        config.Headers["X-Tenant"] = "acme";
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);
        var (batch, bytes) = TestTraces.Encoded(3);

        await exporter.ConsumeAsync(batch, default);
        await exporter.ShutdownAsync(default);

        var received = Assert.Single(server.Service.Received);
        Assert.Equal(bytes, received.Request.ToByteArray());
        Assert.Equal(TestTraces.Request(3), received.Request);
        Assert.True(batch.IsEncodedOnly);
        Assert.Equal("gzip", received.Headers["grpc-encoding"]);
        Assert.Equal("acme", received.Headers["x-tenant"]);
        Assert.Equal("Pipeline/1.2.3", received.Headers["user-agent"]);
    }

    [Theory]
    [InlineData("zstd", "zstd")]
    [InlineData("none", null)]
    public async Task ConsumeAsync_Compression_UsesTheConfiguredEncoding(string compression, string? expected)
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        var config = Config(server.Endpoint);
        config.Compression = compression;
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(2).Batch, default);
        await exporter.ShutdownAsync(default);

        var received = Assert.Single(server.Service.Received);
        Assert.Equal(TestTraces.Request(2), received.Request);
        Assert.Equal(expected, received.Headers.GetValueOrDefault("grpc-encoding"));
    }

    [Fact]
    public async Task ConsumeAsync_DecodedBatch_IsEncodedAndSent()
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        var exporter = Create(Settings(_logs), Config(server.Endpoint));
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(Traces.FromRequest(TestTraces.Request(2, "cart")), default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(TestTraces.Request(2, "cart"), Assert.Single(server.Service.Received).Request);
    }

    [Fact]
    public async Task ConsumeAsync_UnavailableThenOk_RetriesUntilDelivered()
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        server.Service.Respond = call => call <= 2 ? throw new RpcException(new Status(StatusCode.Unavailable, "warming up")) : new ExportTraceServiceResponse();
        var settings = Settings(_logs);
        using var metrics = new MetricRecorder(settings.Meter);
        var exporter = Create(settings, Config(server.Endpoint, queue: true));
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(4).Batch, default);
        bool delivered = await Poll.UntilAsync(() => server.Service.SpanCount == 4);
        await exporter.ShutdownAsync(default);

        Assert.True(delivered);
        Assert.Equal(3, server.Service.Calls);
        Assert.Equal(4, metrics.Sum("otelcol_exporter_sent_spans"));
        var retries = _logs.At(LogLevel.Information);
        Assert.Equal(2, retries.Count);
        Assert.All(retries, line => Assert.StartsWith("Exporting failed. Will retry the request after interval. (error: rpc error: code = Unavailable desc = warming up, interval: ", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConsumeAsync_InvalidArgument_NotRetried()
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        server.Service.Respond = _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "bad span"));
        var exporter = Create(Settings(_logs), Config(server.Endpoint));
        await exporter.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<PermanentException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        await exporter.ShutdownAsync(default);

        Assert.Equal("not retryable error: rpc error: code = InvalidArgument desc = bad span", error.Message);
        Assert.Equal(1, server.Service.Calls);
    }

    [Fact]
    public async Task ConsumeAsync_ResourceExhaustedWithRetryInfo_RetriedAfterTheDelay()
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        server.Service.Respond = call => call == 1 ? throw ResourceExhausted(TimeSpan.FromMilliseconds(150)) : new ExportTraceServiceResponse();
        var exporter = Create(Settings(_logs), Config(server.Endpoint));
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(2, server.Service.Calls);
        Assert.Equal(["Exporting failed. Will retry the request after interval. (error: rpc error: code = ResourceExhausted desc = quota, interval: 150ms)"], _logs.At(LogLevel.Information));
    }

    [Fact]
    public async Task ConsumeAsync_ResourceExhaustedWithoutRetryInfo_IsPermanent()
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        server.Service.Respond = _ => throw new RpcException(new Status(StatusCode.ResourceExhausted, "quota"));
        var exporter = Create(Settings(_logs), Config(server.Endpoint));
        await exporter.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<PermanentException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        await exporter.ShutdownAsync(default);

        Assert.Equal("not retryable error: rpc error: code = ResourceExhausted desc = quota", error.Message);
        Assert.Equal(1, server.Service.Calls);
    }

    [Fact]
    public async Task ConsumeAsync_PartialSuccess_LogsWarning()
    {
        await using var server = await FakeOtlpGrpcServer.StartAsync();
        server.Service.Respond = _ => new ExportTraceServiceResponse { PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = 2, ErrorMessage = "2 spans too old" } };
        var exporter = Create(Settings(_logs), Config(server.Endpoint));
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(3).Batch, default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(["Partial success response (message: 2 spans too old, dropped_spans: 2)"], _logs.At(LogLevel.Warning));
    }

    [Fact]
    public async Task ConsumeAsync_BackendDownThenUp_DeliversEverythingQueued()
    {
        int port;
        await using (var probe = await FakeOtlpGrpcServer.StartAsync())
        {
            port = probe.Port;
        }

        var settings = Settings(_logs);
        using var metrics = new MetricRecorder(settings.Meter);
        var exporter = Create(settings, Config("127.0.0.1:" + port, queue: true));
        await exporter.StartAsync(NopHost.Instance, default);
        for (int i = 0; i < 5; i++)
        {
            await exporter.ConsumeAsync(TestTraces.Encoded(2).Batch, default);
        }

        bool retried = await Poll.UntilAsync(() => _logs.At(LogLevel.Information).Count >= 5);
        await using var server = await FakeOtlpGrpcServer.StartAsync(port);
        bool delivered = await Poll.UntilAsync(() => server.Service.SpanCount == 10);
        await exporter.ShutdownAsync(default);

        Assert.True(retried);
        Assert.True(delivered);
        Assert.Equal(10, metrics.Sum("otelcol_exporter_sent_spans"));
        Assert.Equal(0, metrics.Sum("otelcol_exporter_send_failed_spans"));
    }

    [Fact]
    public async Task ShutdownAsync_BackendReturnsWithinDrainWindow_DeliversQueuedItems()
    {
        int port;
        await using (var probe = await FakeOtlpGrpcServer.StartAsync())
        {
            port = probe.Port;
        }

        var settings = Settings(_logs);
        using var metrics = new MetricRecorder(settings.Meter);
        var exporter = Create(settings, Config("127.0.0.1:" + port, queue: true));
        await exporter.StartAsync(NopHost.Instance, default);
        for (int i = 0; i < 3; i++)
        {
            await exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
        }

        using var drainWindow = new CancellationTokenSource(Poll.Deadline);
        var shutdown = exporter.ShutdownAsync(drainWindow.Token);
        await Poll.UntilAsync(() => _logs.At(LogLevel.Information).Count >= 3);
        await using var server = await FakeOtlpGrpcServer.StartAsync(port);
        await shutdown;

        Assert.Equal(3, server.Service.SpanCount);
        Assert.Equal(3, metrics.Sum("otelcol_exporter_sent_spans"));
        Assert.Empty(_logs.At(LogLevel.Error));
    }

    [Fact]
    public async Task ConsumeAsync_TlsWithCaFile_Delivers()
    {
        using var certs = new TestCertificates();
        await using var server = await FakeOtlpGrpcServer.StartAsync(certificate: certs.Server);
        var config = Config("https://" + server.Endpoint);
        config.Tls.Insecure = false;
        config.Tls.CaFile = certs.CaFile;
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(2).Batch, default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(2, server.Service.SpanCount);
    }

    [Fact]
    public async Task ConsumeAsync_TlsWithServerNameOverride_ChecksTheOverriddenName()
    {
        using var certs = new TestCertificates();
        await using var server = await FakeOtlpGrpcServer.StartAsync(certificate: certs.Server);
        var config = Config(server.Endpoint);
        config.Tls.Insecure = false;
        config.Tls.CaFile = certs.CaFile;
        config.Tls.ServerNameOverride = "otlp.test";
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(1, server.Service.SpanCount);
    }

    [Fact]
    public async Task ConsumeAsync_TlsServerNotTrusted_FailsRetryably()
    {
        using var certs = new TestCertificates();
        await using var server = await FakeOtlpGrpcServer.StartAsync(certificate: certs.Server);
        var config = Config(server.Endpoint);
        config.Tls.Insecure = false;
        config.Retry.Enabled = false;
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<ConsumerException>(() => exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());
        await exporter.ShutdownAsync(default);

        Assert.Equal(StatusCode.Unavailable, error.Code);
        Assert.Equal(0, server.Service.Calls);
    }

    [Fact]
    public async Task ConsumeAsync_InsecureSkipVerify_AcceptsAnyCertificate()
    {
        using var certs = new TestCertificates();
        await using var server = await FakeOtlpGrpcServer.StartAsync(certificate: certs.Server);
        var config = Config(server.Endpoint);
        config.Tls.Insecure = false;
        config.Tls.InsecureSkipVerify = true;
        var exporter = Create(Settings(_logs), config);
        await exporter.StartAsync(NopHost.Instance, default);

        await exporter.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
        await exporter.ShutdownAsync(default);

        Assert.Equal(1, server.Service.SpanCount);
    }

    [Fact]
    public async Task StartAsync_CaFileMissing_FailsNamingTheFile()
    {
        var config = Config("127.0.0.1:4317");
        config.Tls.Insecure = false;
        config.Tls.CaFile = "/nonexistent/ca.pem";
        var exporter = Create(Settings(_logs), config);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => exporter.StartAsync(NopHost.Instance, default));

        Assert.StartsWith("failed to load CA CertPool File \"/nonexistent/ca.pem\": ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("collector:4317", false, "https://collector:4317")]
    [InlineData("http://collector:4317", false, "https://collector:4317")]
    [InlineData("https://collector:4317", true, "http://collector:4317")]
    [InlineData("dns:///collector:4317", false, "https://collector:4317")]
    public void Target_TlsFollowsInsecureNotTheScheme(string endpoint, bool insecure, string expected)
    {
        var config = Config(endpoint);
        config.Tls.Insecure = insecure;

        var exporter = new OtlpGrpcExporter<Traces>(Settings(_logs), config);

        Assert.Equal(expected, exporter.Target);
    }

    private static RpcException ResourceExhausted(TimeSpan retryDelay)
    {
        var status = new Google.Rpc.Status { Code = (int)StatusCode.ResourceExhausted, Message = "quota" };
        status.Details.Add(new Any
        {
            TypeUrl = "type.googleapis.com/google.rpc.RetryInfo",
            Value = new Google.Rpc.RetryInfo { RetryDelay = Duration.FromTimeSpan(retryDelay) }.ToByteString(),
        });
        var trailers = new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
        return new RpcException(new Status(StatusCode.ResourceExhausted, "quota"), trailers);
    }
}
