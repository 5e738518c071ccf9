using System.Net;
using System.Security.Cryptography.X509Certificates;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Receivers.Otlp.Config;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Receivers.Otlp.Tests;

public sealed class TlsTests : IDisposable
{
    private readonly TestCertificates _certs = new();

    public void Dispose() => _certs.Dispose();

    private SocketsHttpHandler TrustingServer(X509Certificate2? clientCertificate = null)
    {
        string expected = _certs.Server.Thumbprint;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 c && c.Thumbprint == expected;
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return handler;
    }

    private TlsServerConfig ServerTls() => new() { CertFile = _certs.ServerCertFile, KeyFile = _certs.ServerKeyFile };

    [Fact]
    public async Task Http_WithCertAndKeyFiles_ServesHttps()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.Tls = ServerTls(), httpHandler: TrustingServer());

        using var response = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(2)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Traces.ItemCount);
    }

    [Fact]
    public async Task Grpc_WithCertAndKeyFiles_ServesHttp2OverTls()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Grpc!.Tls = ServerTls(), grpcHandler: TrustingServer());

        await new TraceService.TraceServiceClient(h.Grpc).ExportAsync(Payloads.Traces(3));

        Assert.Equal(3, h.Traces.ItemCount);
    }

    [Fact]
    public async Task Http_PlainTextClientAgainstTls_Fails()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.Tls = ServerTls(), httpHandler: TrustingServer());
        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{h.Receiver.HttpEndPoint!.Port}") };

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(1))));

        Assert.Empty(h.Traces.Batches);
    }

    [Fact]
    public async Task Http_ClientCaFile_RequiresAClientCertificateFromThatCa()
    {
        var tls = ServerTls();
        tls.ClientCaFile = _certs.ClientCertFile;
        await using var h = await ReceiverHarness.StartAsync(c => c.Http!.Tls = tls, httpHandler: TrustingServer(_certs.Client));
        using var anonymous = new HttpClient(TrustingServer()) { BaseAddress = h.Http.BaseAddress };

        using var accepted = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(1)));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => anonymous.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(1))));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, h.Traces.ItemCount);
    }

    [Fact]
    public async Task StartAsync_MissingCertificateFile_Fails()
    {
        var config = new OtlpReceiverConfig
        {
            Http = new HttpServerConfig { Endpoint = "127.0.0.1:0", Tls = new TlsServerConfig { CertFile = "/nonexistent/cert.pem", KeyFile = _certs.ServerKeyFile } },
        };
        var receiver = new OtlpReceiverFactory().CreateReceiver(TestSettings.For(ComponentKind.Receiver, "otlp"), config, new SinkConsumer<Traces>());

        var error = await Record.ExceptionAsync(() => receiver.StartAsync(NopHost.Instance, CancellationToken.None));
        await receiver.ShutdownAsync(CancellationToken.None);

        Assert.IsAssignableFrom<IOException>(error);
    }
}
