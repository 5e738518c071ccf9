using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Logs.V1;
using Pipeline.Abstractions;
using Pipeline.Connectors.Forward;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Connectors.Tests;

public class ForwardTests
{
    [Fact]
    public async Task ConsumeAsync_TwoTargets_EachGetsTheData_MutatingOneACopy()
    {
        var readOnly = new SinkConsumer<Logs>();
        var mutating = new SinkConsumer<Logs> { Capabilities = ConsumerCapabilities.Mutating };
        var next = new Dictionary<PipelineId, IConsumer<Logs>>
        {
            [new PipelineId(Signal.Logs, "a")] = readOnly,
            [new PipelineId(Signal.Logs, "b")] = mutating,
        };
        var connector = new ForwardFactory().CreateConnector<Logs, Logs>(TestSettings.For(ComponentKind.Connector, "forward"), new ForwardConfig(), next);
        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(new ResourceLogs { ScopeLogs = { new ScopeLogs { LogRecords = { new LogRecord { SeverityText = "INFO" } } } } });
        var data = Logs.FromRequest(request);

        await connector.ConsumeAsync(data, default);

        Assert.Equal(1, readOnly.ItemCount);
        Assert.Equal(1, mutating.ItemCount);
        Assert.NotSame(readOnly.Batches[0], mutating.Batches[0]);
    }

    [Fact]
    public void CreateConnector_DifferentSignals_NotSupported()
    {
        var next = new Dictionary<PipelineId, IConsumer<Metrics>>();

        Assert.Throws<NotSupportedException>(() => new ForwardFactory().CreateConnector<Logs, Metrics>(TestSettings.For(ComponentKind.Connector, "forward"), new ForwardConfig(), next));
    }
}
