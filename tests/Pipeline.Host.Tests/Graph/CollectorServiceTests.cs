using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Host.Logging;
using Pipeline.Host.Service;

namespace Pipeline.Host.Tests.Graph;

public sealed class CollectorServiceTests
{
    private readonly Recorder _recorder = new();

    [Fact]
    public async Task RunAsync_StoppedAfterReady_ShutsDownAndReturns0()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder))
            .Pipeline("traces", ["fakerecv"], [], ["fakeexp"]);
        fixture.Config.Service.Telemetry.MetricsLevel = "none";
        var log = new StringWriter();
        using var loggers = CollectorLoggerProvider.CreateFactory(log, LogEncoding.Console, LogLevel.Information);
        var service = new CollectorService(fixture.Config, loggers, new StringWriter());
        using var stop = new CancellationTokenSource();

        var run = service.RunAsync(stop.Token);
        await WaitForAsync(() => log.ToString().Contains("Everything is ready. Begin running and processing data.", StringComparison.Ordinal));
        stop.Cancel();
        int code = await run;

        Assert.Equal(0, code);
        Assert.Equal(["start exporter/fakeexp/Traces", "start receiver/fakerecv", "stop receiver/fakerecv", "stop exporter/fakeexp/Traces"], _recorder.Events);
        Assert.Contains("\tinfo\tservice\tShutdown complete.\n", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReceiverFailsToStart_Returns1WithOtelcolMessage()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "otlp", new FakeReceiverFactory(_recorder, "otlp"), new FakeConfig { FailStart = "address already in use" })
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder))
            .Pipeline("logs", ["otlp"], [], ["fakeexp"]);
        fixture.Config.Service.Telemetry.MetricsLevel = "none";
        var stderr = new StringWriter();
        using var loggers = CollectorLoggerProvider.CreateFactory(new StringWriter(), LogEncoding.Console, LogLevel.Information);
        var service = new CollectorService(fixture.Config, loggers, stderr);

        int code = await service.RunAsync(CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Equal("Error: cannot start pipelines: failed to start \"otlp\" receiver: address already in use\n", stderr.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(["start exporter/fakeexp/Logs", "start receiver/otlp", "stop receiver/otlp", "stop exporter/fakeexp/Logs"], _recorder.Events);
    }

    [Fact]
    public async Task RunAsync_GraphCannotBeBuilt_Returns1BeforeStartingAnything()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder, signals: [Pipeline.Telemetry.Signal.Logs]))
            .Pipeline("traces", ["fakerecv"], [], ["fakeexp"]);
        var stderr = new StringWriter();
        using var loggers = CollectorLoggerProvider.CreateFactory(new StringWriter(), LogEncoding.Console, LogLevel.Information);
        var service = new CollectorService(fixture.Config, loggers, stderr);

        int code = await service.RunAsync(CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Equal("Error: failed to build pipelines: failed to create \"fakeexp\" exporter for data type \"traces\": telemetry type is not supported\n", stderr.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Empty(_recorder.Events);
    }

    [Fact]
    public async Task RunAsync_MetricsPullReader_ServesOwnMetricsWithOtelcolNames()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder))
            .Pipeline("traces", ["fakerecv"], [], ["fakeexp"]);
        fixture.Config.Service.Telemetry.MetricsHost = "127.0.0.1";
        fixture.Config.Service.Telemetry.MetricsPort = 0;
        var log = new StringWriter();
        using var loggers = CollectorLoggerProvider.CreateFactory(log, LogEncoding.Console, LogLevel.Information);
        var service = new CollectorService(fixture.Config, loggers, new StringWriter());
        using var stop = new CancellationTokenSource();
        var run = service.RunAsync(stop.Token);
        await WaitForAsync(() => log.ToString().Contains("Everything is ready.", StringComparison.Ordinal));
        var match = System.Text.RegularExpressions.Regex.Match(log.ToString(), @"Serving the collector's own metrics at (\S+)metrics\.");
        using var http = new HttpClient();

        string body = await http.GetStringAsync(new Uri(new Uri(match.Groups[1].Value), "metrics"));
        stop.Cancel();
        int code = await run;

        Assert.True(match.Success, log.ToString());
        Assert.Contains("otelcol_process_uptime", body, StringComparison.Ordinal);
        Assert.Equal(0, code);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met in time.");
            await Task.Delay(10);
        }
    }
}
