using Pipeline.Abstractions;
using Pipeline.Host.Graph;
using Pipeline.Telemetry;

namespace Pipeline.Host.Tests.Graph;

public sealed class GraphBuilderTests
{
    private readonly Recorder _recorder = new();

    [Fact]
    public void Build_ReceiverListedByTwoPipelinesOfOneSignal_CreatesOneReceiverFeedingBoth()
    {
        var receivers = new FakeReceiverFactory(_recorder);
        var exporters = new FakeExporterFactory(_recorder);
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", receivers)
            .Component(ComponentKind.Exporter, "fakeexp/a", exporters)
            .Component(ComponentKind.Exporter, "fakeexp/b", exporters)
            .Pipeline("traces/a", ["fakerecv"], [], ["fakeexp/a"])
            .Pipeline("traces/b", ["fakerecv"], [], ["fakeexp/b"]);

        var graph = fixture.Build();

        var receiver = Assert.Single(receivers.Created);
        var fanOut = Assert.IsType<FanOutConsumer<Traces>>(receiver.NextOf<Traces>());
        Assert.Equal(2, fanOut.Consumers.Count);
        Assert.Equal(2, exporters.Created.Count);
        Assert.Equal(3, graph.Components.Count);
    }

    [Fact]
    public void Build_ReceiverInPipelinesOfThreeSignals_CreatesOnePerSignal()
    {
        var receivers = new FakeReceiverFactory(_recorder);
        var exporters = new FakeExporterFactory(_recorder);
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", receivers)
            .Component(ComponentKind.Exporter, "fakeexp", exporters)
            .Pipeline("traces", ["fakerecv"], [], ["fakeexp"])
            .Pipeline("metrics", ["fakerecv"], [], ["fakeexp"])
            .Pipeline("logs", ["fakerecv"], [], ["fakeexp"]);

        var graph = fixture.Build();

        Assert.Equal(3, receivers.Created.Count);
        Assert.Equal(3, exporters.Created.Count);
        Assert.Equal(6, graph.Components.Count);
    }

    [Fact]
    public async Task Build_FactoryReturnsOneReceiverForAllSignals_StartsAndStopsItOnce()
    {
        var receivers = new FakeReceiverFactory(_recorder, shared: true);
        var exporters = new FakeExporterFactory(_recorder);
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", receivers)
            .Component(ComponentKind.Exporter, "fakeexp", exporters)
            .Pipeline("traces", ["fakerecv"], [], ["fakeexp"])
            .Pipeline("metrics", ["fakerecv"], [], ["fakeexp"])
            .Pipeline("logs", ["fakerecv"], [], ["fakeexp"]);
        var graph = fixture.Build();

        await graph.StartAsync(CancellationToken.None);
        await graph.ShutdownAsync(CancellationToken.None);

        var receiver = Assert.Single(receivers.Created);
        Assert.Equal(3, receiver.Next.Count);
        Assert.Equal(1, receiver.Starts);
        Assert.Equal(1, receiver.Shutdowns);
    }

    [Fact]
    public void Build_ProcessorInTwoPipelines_CreatesOneInstancePerPipelineWithItsPipeline()
    {
        var processors = new FakeProcessorFactory(_recorder);
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Processor, "fakeproc", processors)
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder))
            .Pipeline("traces/a", ["fakerecv"], ["fakeproc"], ["fakeexp"])
            .Pipeline("traces/b", ["fakerecv"], ["fakeproc"], ["fakeexp"]);

        fixture.Build();

        Assert.Equal(2, processors.Created.Count);
        Assert.NotSame(processors.Created[0].Processor, processors.Created[1].Processor);
        Assert.Equal(["traces/a", "traces/b"], processors.Created.ConvertAll(c => c.Settings.Pipeline.ToString()));
    }

    [Fact]
    public void Build_ExporterInTwoPipelinesOfOneSignal_CreatesOneInstance()
    {
        var exporters = new FakeExporterFactory(_recorder);
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv/1", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Receiver, "fakerecv/2", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Exporter, "fakeexp", exporters)
            .Pipeline("traces/a", ["fakerecv/1"], [], ["fakeexp"])
            .Pipeline("traces/b", ["fakerecv/2"], [], ["fakeexp"]);

        fixture.Build();

        Assert.Single(exporters.Created);
    }

    [Fact]
    public async Task Consume_MutatingPipelineBesideReadOnlyPipeline_EachSeesOnlyItsOwnChange()
    {
        var receivers = new FakeReceiverFactory(_recorder);
        var exporters = new FakeExporterFactory(_recorder);
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", receivers)
            .Component(ComponentKind.Processor, "rename", new FakeProcessorFactory(_recorder, "rename", mutates: true))
            .Component(ComponentKind.Processor, "rename/again", new FakeProcessorFactory(_recorder, "again", mutates: true))
            .Component(ComponentKind.Exporter, "fakeexp/a", exporters)
            .Component(ComponentKind.Exporter, "fakeexp/b", exporters)
            .Component(ComponentKind.Exporter, "fakeexp/c", exporters)
            .Pipeline("traces/a", ["fakerecv"], ["rename"], ["fakeexp/a"])
            .Pipeline("traces/b", ["fakerecv"], [], ["fakeexp/b"])
            .Pipeline("traces/c", ["fakerecv"], ["rename/again"], ["fakeexp/c"]);
        fixture.Build();
        var input = GraphFixture.Spans("original");

        await receivers.Created[0].NextOf<Traces>().ConsumeAsync(input, CancellationToken.None);

        var received = exporters.Created.ConvertAll(e => Assert.Single(((FakeExporter<Traces>)e).Received));
        Assert.Equal(["rename"], GraphFixture.SpanNames(received[0]));
        Assert.Equal(["original"], GraphFixture.SpanNames(received[1]));
        Assert.Equal(["again"], GraphFixture.SpanNames(received[2]));
        Assert.Same(input, received[1]);
        Assert.NotSame(input, received[0]);
        Assert.NotSame(input, received[2]);
    }

    [Fact]
    public async Task StartAndShutdown_OnePipeline_StartsDownstreamFirstAndStopsUpstreamFirst()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Processor, "p1", new FakeProcessorFactory(_recorder, "p1"))
            .Component(ComponentKind.Processor, "p2", new FakeProcessorFactory(_recorder, "p2"))
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder))
            .Pipeline("traces", ["fakerecv"], ["p1", "p2"], ["fakeexp"]);
        var graph = fixture.Build();

        await graph.StartAsync(CancellationToken.None);
        await graph.ShutdownAsync(CancellationToken.None);

        Assert.Equal(
            [
                "start exporter/fakeexp/Traces", "start processor/p2/traces", "start processor/p1/traces", "start receiver/fakerecv",
                "stop receiver/fakerecv", "stop processor/p1/traces", "stop processor/p2/traces", "stop exporter/fakeexp/Traces",
            ],
            _recorder.Events);
    }

    [Fact]
    public async Task StartAsync_ReceiverFails_StopsWhatStartedAndReportsTheReceiver()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder), new FakeConfig { FailStart = "listen tcp 127.0.0.1:4317: bind: address already in use" })
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder))
            .Pipeline("traces", ["fakerecv"], [], ["fakeexp"]);
        var graph = fixture.Build();

        var error = await Assert.ThrowsAsync<GraphStartException>(() => graph.StartAsync(CancellationToken.None));
        var afterShutdown = await graph.ShutdownAsync(CancellationToken.None);

        Assert.Equal("failed to start \"fakerecv\" receiver: listen tcp 127.0.0.1:4317: bind: address already in use", error.Message);
        Assert.Equal(["start exporter/fakeexp/Traces", "start receiver/fakerecv", "stop receiver/fakerecv", "stop exporter/fakeexp/Traces"], _recorder.Events);
        Assert.Empty(afterShutdown);
    }

    [Fact]
    public async Task StartAsync_ExporterFails_NeverStartsUpstreamComponents()
    {
        var receivers = new FakeReceiverFactory(_recorder);
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", receivers)
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder), new FakeConfig { FailStart = "no route" })
            .Pipeline("traces", ["fakerecv"], [], ["fakeexp"]);
        var graph = fixture.Build();

        var error = await Assert.ThrowsAsync<GraphStartException>(() => graph.StartAsync(CancellationToken.None));

        Assert.Equal("failed to start \"fakeexp\" exporter: no route", error.Message);
        Assert.Equal(0, receivers.Created[0].Starts);
    }

    [Fact]
    public async Task ShutdownAsync_StartNeverRan_ShutsDownEveryComponentOnce()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Processor, "fakeproc", new FakeProcessorFactory(_recorder))
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder))
            .Pipeline("logs", ["fakerecv"], ["fakeproc"], ["fakeexp"]);
        var graph = fixture.Build();

        var errors = await graph.ShutdownAsync(CancellationToken.None);
        await graph.ShutdownAsync(CancellationToken.None);

        Assert.Empty(errors);
        Assert.Equal(["stop receiver/fakerecv", "stop processor/fakeproc/logs", "stop exporter/fakeexp/Logs"], _recorder.Events);
    }

    [Fact]
    public void Build_ExporterWithoutTheSignal_ReportsTelemetryTypeNotSupported()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder, signals: [Signal.Traces]))
            .Pipeline("metrics", ["fakerecv"], [], ["fakeexp"]);

        var error = Assert.Throws<GraphException>(() => fixture.Build());

        Assert.Equal("failed to create \"fakeexp\" exporter for data type \"metrics\": telemetry type is not supported", error.Message);
    }

    [Fact]
    public void Build_PipelineReachesAPersistingExporter_TellsItsProcessorsTheyAreDurable()
    {
        var receivers = new FakeReceiverFactory(_recorder);
        var plain = new FakeExporterFactory(_recorder);
        var persisting = new FakeExporterFactory(_recorder, "persistexp") { Persists = true };
        var processors = new FakeProcessorFactory(_recorder);
        var connectors = new FakeConnectorFactory(_recorder);
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", receivers)
            .Component(ComponentKind.Processor, "fakeproc", processors)
            .Component(ComponentKind.Exporter, "fakeexp", plain)
            .Component(ComponentKind.Exporter, "persistexp", persisting)
            .Component(ComponentKind.Connector, "forward", connectors)
            .Pipeline("traces/plain", ["fakerecv"], ["fakeproc"], ["fakeexp"])
            .Pipeline("traces/durable", ["fakerecv"], ["fakeproc"], ["fakeexp", "persistexp"])
            .Pipeline("traces/in", ["fakerecv"], ["fakeproc"], ["forward"])
            .Pipeline("traces/out", ["forward"], [], ["persistexp"]);

        fixture.Build();

        var durable = new Dictionary<string, bool>();
        foreach (var (settings, _) in processors.Created)
        {
            durable[settings.Pipeline!.Value.ToString()] = settings.DurableDownstream;
        }

        Assert.False(durable["traces/plain"]);
        Assert.True(durable["traces/durable"]);
        Assert.True(durable["traces/in"]);
    }

    [Fact]
    public async Task Build_ForwardConnectorBetweenPipelines_DeliversToTheTargetPipeline()
    {
        var receivers = new FakeReceiverFactory(_recorder);
        var exporters = new FakeExporterFactory(_recorder);
        var connectors = new FakeConnectorFactory(_recorder);
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", receivers)
            .Component(ComponentKind.Connector, "forward", connectors)
            .Component(ComponentKind.Exporter, "fakeexp", exporters)
            .Pipeline("traces/in", ["fakerecv"], [], ["forward"])
            .Pipeline("traces/out", ["forward"], [], ["fakeexp"]);
        var graph = fixture.Build();

        await graph.StartAsync(CancellationToken.None);
        await receivers.Created[0].NextOf<Traces>().ConsumeAsync(GraphFixture.Spans("x"), CancellationToken.None);
        await graph.ShutdownAsync(CancellationToken.None);

        Assert.Equal(1, connectors.CreatedCount);
        Assert.Single(((FakeExporter<Traces>)Assert.Single(exporters.Created)).Received);
        Assert.Equal(
            ["start exporter/fakeexp/Traces", "start connector/forward", "start receiver/fakerecv", "stop receiver/fakerecv", "stop connector/forward", "stop exporter/fakeexp/Traces"],
            _recorder.Events);
    }

    [Fact]
    public void Build_ConnectorFeedsItsOwnPipeline_ReportsTheCycle()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Processor, "fakeproc", new FakeProcessorFactory(_recorder))
            .Component(ComponentKind.Connector, "forward", new FakeConnectorFactory(_recorder))
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder))
            .Pipeline("traces", ["fakerecv", "forward"], ["fakeproc"], ["forward", "fakeexp"]);

        var error = Assert.Throws<GraphException>(() => fixture.Build());

        Assert.Equal(
            "cycle detected: connector \"forward\" (traces to traces) -> processor \"fakeproc\" in pipeline \"traces\" -> connector \"forward\" (traces to traces)",
            error.Message);
    }

    [Fact]
    public void Build_ConnectorLoopThroughTwoPipelines_ReportsTheCycle()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Connector, "forward/1", new FakeConnectorFactory(_recorder))
            .Component(ComponentKind.Connector, "forward/2", new FakeConnectorFactory(_recorder))
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder))
            .Pipeline("logs/a", ["fakerecv", "forward/2"], [], ["forward/1"])
            .Pipeline("logs/b", ["forward/1"], [], ["forward/2", "fakeexp"]);

        var error = Assert.Throws<GraphException>(() => fixture.Build());

        Assert.Equal(
            "cycle detected: connector \"forward/2\" (logs to logs) -> connector \"forward/1\" (logs to logs) -> connector \"forward/2\" (logs to logs)",
            error.Message);
    }

    [Fact]
    public void Build_ConnectorOnlyUsedAsExporter_ReportsMissingReceiverPipeline()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Connector, "forward", new FakeConnectorFactory(_recorder))
            .Pipeline("traces/in", ["fakerecv"], [], ["forward"]);

        var error = Assert.Throws<GraphException>(() => fixture.Build());

        Assert.Equal("connector \"forward\" used as exporter in [traces/in] pipeline but not used in any supported receiver pipeline", error.Message);
    }

    [Fact]
    public void Build_ConnectorBetweenUnsupportedSignals_ReportsMissingExporterPipeline()
    {
        var fixture = new GraphFixture()
            .Component(ComponentKind.Receiver, "fakerecv", new FakeReceiverFactory(_recorder))
            .Component(ComponentKind.Connector, "forward", new FakeConnectorFactory(_recorder))
            .Component(ComponentKind.Exporter, "fakeexp", new FakeExporterFactory(_recorder))
            .Pipeline("traces/in", ["fakerecv"], [], ["fakeexp"])
            .Pipeline("metrics/out", ["forward"], [], ["fakeexp"]);

        var error = Assert.Throws<GraphException>(() => fixture.Build());

        Assert.Equal("connector \"forward\" used as receiver in [metrics/out] pipeline but not used in any supported exporter pipeline", error.Message);
    }
}
