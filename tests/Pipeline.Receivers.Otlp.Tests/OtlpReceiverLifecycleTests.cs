using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Receivers.Otlp.Config;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Receivers.Otlp.Tests;

public sealed class OtlpReceiverLifecycleTests
{
    private static OtlpReceiverConfig Config() => new()
    {
        Grpc = new GrpcServerConfig { Endpoint = "127.0.0.1:0" },
        Http = new HttpServerConfig { Endpoint = "127.0.0.1:0" },
    };

    [Fact]
    public void CreateReceiver_SameIdForEverySignal_ReturnsOneSharedInstance()
    {
        var factory = new OtlpReceiverFactory();
        var settings = TestSettings.For(ComponentKind.Receiver, "otlp");
        var config = Config();

        var traces = factory.CreateReceiver(settings, config, new SinkConsumer<Traces>());
        var metrics = factory.CreateReceiver(settings, config, new SinkConsumer<Metrics>());
        var logs = factory.CreateReceiver(settings, config, new SinkConsumer<Logs>());

        Assert.Same(traces, metrics);
        Assert.Same(traces, logs);
    }

    [Fact]
    public void CreateReceiver_DifferentIdsOrFactories_ReturnSeparateInstances()
    {
        var factory = new OtlpReceiverFactory();
        var config = Config();

        var a = factory.CreateReceiver(TestSettings.For(ComponentKind.Receiver, "otlp"), config, new SinkConsumer<Traces>());
        var b = factory.CreateReceiver(TestSettings.For(ComponentKind.Receiver, "otlp/2"), config, new SinkConsumer<Traces>());
        var c = new OtlpReceiverFactory().CreateReceiver(TestSettings.For(ComponentKind.Receiver, "otlp"), config, new SinkConsumer<Traces>());

        Assert.NotSame(a, b);
        Assert.NotSame(a, c);
    }

    [Fact]
    public async Task ShutdownAsync_WithoutStart_CompletesAndForgetsTheInstance()
    {
        var factory = new OtlpReceiverFactory();
        var settings = TestSettings.For(ComponentKind.Receiver, "otlp");
        var first = factory.CreateReceiver(settings, Config(), new SinkConsumer<Traces>());

        await first.ShutdownAsync(CancellationToken.None);
        await first.ShutdownAsync(CancellationToken.None);
        var second = factory.CreateReceiver(settings, Config(), new SinkConsumer<Traces>());

        Assert.NotSame(first, second);
    }

    [Fact]
    public async Task StartAsync_Twice_BindsOnceAndPortsAreReleasedAtShutdown()
    {
        var receiver = (OtlpReceiver)new OtlpReceiverFactory().CreateReceiver(TestSettings.For(ComponentKind.Receiver, "otlp"), Config(), new SinkConsumer<Traces>());

        await receiver.StartAsync(NopHost.Instance, CancellationToken.None);
        var grpc = receiver.GrpcEndPoint!;
        var http = receiver.HttpEndPoint!;
        await receiver.StartAsync(NopHost.Instance, CancellationToken.None);
        await receiver.ShutdownAsync(CancellationToken.None);

        Assert.NotEqual(0, grpc.Port);
        Assert.NotEqual(0, http.Port);
        Assert.Equal(IPAddress.Loopback, http.Address);
        using var probe = new TcpListener(IPAddress.Loopback, http.Port);
        probe.Start();
    }

    [Fact]
    public async Task StartAsync_HttpPortTaken_FailsAndReleasesGrpcPort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var config = Config();
        config.Http!.Endpoint = $"127.0.0.1:{port}";
        var receiver = (OtlpReceiver)new OtlpReceiverFactory().CreateReceiver(TestSettings.For(ComponentKind.Receiver, "otlp"), config, new SinkConsumer<Traces>());

        var error = await Record.ExceptionAsync(() => receiver.StartAsync(NopHost.Instance, CancellationToken.None));

        Assert.IsType<IOException>(error);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        await receiver.ShutdownAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_LogsEachServerWithItsEndpoint()
    {
        var loggers = new ListLoggerFactory();

        await using (await ReceiverHarness.StartAsync(loggers: loggers))
        {
        }

        var messages = loggers.Entries.Where(e => e.Category == "receivers::otlp/test" && e.Level == LogLevel.Information).Select(e => e.Message).ToList();
        Assert.Equal(["Starting GRPC server on 127.0.0.1:0.", "Starting HTTP server on 127.0.0.1:0."], messages);
    }

    [Fact]
    public async Task Export_CountsAcceptedAndRefusedPerTransport()
    {
        await using var h = await ReceiverHarness.StartAsync();
        var counts = new Dictionary<(string Name, string Transport), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == h.Settings.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string transport = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == "transport")
                {
                    transport = (string)tag.Value!;
                }
            }

            lock (counts)
            {
                counts[(instrument.Name, transport)] = counts.GetValueOrDefault((instrument.Name, transport)) + value;
            }
        });
        listener.Start();

        await new TraceService.TraceServiceClient(h.Grpc).ExportAsync(Payloads.Traces(3));
        using var ok = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(2)));
        h.Traces.Refuse = _ => new InvalidOperationException("full");
        using var refused = await h.Http.PostAsync("/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(4)));

        Assert.Equal(3, counts[("otelcol_receiver_accepted_spans", "grpc")]);
        Assert.Equal(2, counts[("otelcol_receiver_accepted_spans", "http")]);
        Assert.Equal(4, counts[("otelcol_receiver_refused_spans", "http")]);
        Assert.False(counts.ContainsKey(("otelcol_receiver_refused_spans", "grpc")));
    }

    [Fact]
    public async Task OnlyGrpcConfigured_NoHttpListener()
    {
        await using var h = await ReceiverHarness.StartAsync(c => c.Http = null);

        await new TraceService.TraceServiceClient(h.Grpc).ExportAsync(Payloads.Traces(1));

        Assert.Null(h.Receiver.HttpEndPoint);
        Assert.Equal(1, h.Traces.ItemCount);
    }

    [Fact]
    public async Task Accepts_UnixSocketTransport()
    {
        string path = Path.Combine(Path.GetTempPath(), "otlp-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        await using var h = await ReceiverHarness.StartAsync(c =>
        {
            c.Grpc = null;
            c.Http!.Transport = "unix";
            c.Http.Endpoint = path;
        });
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });

        using var response = await client.PostAsync("http://localhost/v1/traces", ReceiverHarness.Protobuf(Payloads.Traces(2)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Traces.ItemCount);
    }
}
