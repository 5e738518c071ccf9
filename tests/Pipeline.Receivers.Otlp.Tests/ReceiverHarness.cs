using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Receivers.Otlp.Config;
using Pipeline.Telemetry;
using Pipeline.Testing;

namespace Pipeline.Receivers.Otlp.Tests;

/// <summary>An otlp receiver on 127.0.0.1 with OS-chosen ports, sinks for the signals it serves, and clients.</summary>
internal sealed class ReceiverHarness : IAsyncDisposable
{
    private ReceiverHarness(OtlpReceiverConfig config, ComponentSettings settings)
    {
        Config = config;
        Settings = settings;
    }

    public OtlpReceiverConfig Config { get; }

    public ComponentSettings Settings { get; }

    public OtlpReceiver Receiver { get; private set; } = null!;

    public SinkConsumer<Traces> Traces { get; } = new();

    public SinkConsumer<Metrics> Metrics { get; } = new();

    public SinkConsumer<Logs> Logs { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    public GrpcChannel Grpc { get; private set; } = null!;

    public static async Task<ReceiverHarness> StartAsync(
        Action<OtlpReceiverConfig>? configure = null,
        Signal[]? signals = null,
        ILoggerFactory? loggers = null,
        HttpMessageHandler? httpHandler = null,
        HttpMessageHandler? grpcHandler = null)
    {
        var config = new OtlpReceiverConfig
        {
            Grpc = new GrpcServerConfig { Endpoint = "127.0.0.1:0" },
            Http = new HttpServerConfig { Endpoint = "127.0.0.1:0" },
        };
        configure?.Invoke(config);
        var harness = new ReceiverHarness(config, TestSettings.For(ComponentKind.Receiver, "otlp/test", loggers));
        var factory = new OtlpReceiverFactory();
        foreach (var signal in signals ?? [Signal.Traces, Signal.Metrics, Signal.Logs])
        {
            harness.Receiver = (OtlpReceiver)(signal switch
            {
                Signal.Traces => factory.CreateReceiver(harness.Settings, config, harness.Traces),
                Signal.Metrics => factory.CreateReceiver(harness.Settings, config, harness.Metrics),
                _ => factory.CreateReceiver(harness.Settings, config, harness.Logs),
            });
        }

        await harness.Receiver.StartAsync(NopHost.Instance, CancellationToken.None);
        if (harness.Receiver.HttpEndPoint is { } http)
        {
            string scheme = config.Http!.Tls is null ? "http" : "https";
            harness.Http = new HttpClient(httpHandler ?? new SocketsHttpHandler(), disposeHandler: true)
            {
                BaseAddress = new Uri($"{scheme}://127.0.0.1:{http.Port}"),
            };
        }

        if (harness.Receiver.GrpcEndPoint is { } grpc)
        {
            string scheme = config.Grpc!.Tls is null ? "http" : "https";
            harness.Grpc = GrpcChannel.ForAddress($"{scheme}://127.0.0.1:{grpc.Port}", new GrpcChannelOptions { HttpHandler = grpcHandler });
        }

        return harness;
    }

    public static ByteArrayContent Protobuf(IMessage message, string contentType = "application/x-protobuf") =>
        Body(message.ToByteArray(), contentType);

    public static ByteArrayContent Body(byte[] body, string contentType, string? contentEncoding = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (contentEncoding is not null)
        {
            content.Headers.ContentEncoding.Add(contentEncoding);
        }

        return content;
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        Grpc?.Dispose();
        await Receiver.ShutdownAsync(CancellationToken.None);
    }
}
