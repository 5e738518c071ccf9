using Microsoft.Extensions.Time.Testing;
using Pipeline.Abstractions;
using Pipeline.Processors.Batch;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Processors.Tests.Batch;

public sealed class BatchMetadataTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ComponentSettings _settings;
    private readonly MetricRecorder _metrics;

    public BatchMetadataTests()
    {
        _settings = TestSettings.For(ComponentKind.Processor, "batch/test", null, _time);
        _metrics = new MetricRecorder(_settings.Meter);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _settings.Meter.Dispose();
    }

    [Fact]
    public async Task ConsumeAsync_MetadataKeys_OneBatcherPerTenantAndBatchesCarryOnlyThatKey()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 4, Timeout = TimeSpan.FromHours(1), MetadataKeys = ["X-Tenant"] });

        await processor.ConsumeAsync(Spans(2, "a", Tenant("a")), default);
        await processor.ConsumeAsync(Spans(2, "b", Tenant("b")), default);
        await processor.ConsumeAsync(Spans(2, "a", Tenant("a")), default);
        int afterSizeTrigger = sink.Batches.Count;
        await processor.ShutdownAsync(default);

        Assert.Equal(1, afterSizeTrigger);
        Assert.Equal(2, sink.Batches.Count);
        var a = sink.Batches[0];
        var b = sink.Batches[1];
        Assert.Equal(4, a.ItemCount);
        Assert.Equal(2, b.ItemCount);
        Assert.All(TestData.SpanNames([a]), n => Assert.StartsWith("a", n, StringComparison.Ordinal));
        Assert.All(TestData.SpanNames([b]), n => Assert.StartsWith("b", n, StringComparison.Ordinal));
        Assert.Equal(["x-tenant"], a.Client.Metadata.Keys);
        Assert.Equal(["a"], a.Client.GetMetadata("x-tenant"));
        Assert.Equal(["b"], b.Client.GetMetadata("X-Tenant"));
        Assert.Null(a.Client.Address);
        Assert.Equal(6, _metrics.Sum("otelcol_processor_incoming_items"));
        Assert.Equal(6, _metrics.Sum("otelcol_processor_outgoing_items"));
    }

    [Fact]
    public async Task ConsumeAsync_ValuesDifferingInCase_AreDifferentCombinations()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromHours(1), MetadataKeys = ["x-tenant"] });

        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(Tenant("a")), default);
        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(Tenant("A")), default);
        await processor.ShutdownAsync(default);

        Assert.Equal(2, sink.Batches.Count);
        Assert.Equal(["a", "A"], sink.Batches.Select(b => b.Client.GetMetadata("x-tenant")[0]).Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public async Task ConsumeAsync_KeyAbsent_OwnCombinationWithoutMetadata()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromHours(1), MetadataKeys = ["x-tenant"] });

        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(new ClientInfo("127.0.0.1", [new("other", ["x"])])), default);
        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(new ClientInfo("127.0.0.2")), default);
        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(Tenant(string.Empty)), default);
        await processor.ShutdownAsync(default);

        // The first two have no x-tenant at all and share a batcher; an empty value is a value.
        Assert.Equal([1, 2], sink.Batches.Select(b => b.ItemCount).Order());
        var absent = sink.Batches.Single(b => b.ItemCount == 2);
        Assert.True(absent.Client.IsEmpty);
        var empty = sink.Batches.Single(b => b.ItemCount == 1);
        Assert.Equal([string.Empty], empty.Client.GetMetadata("x-tenant"));
    }

    [Fact]
    public async Task ConsumeAsync_SeveralValues_KeptAllAndNotConfusedWithJoinedValue()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromHours(1), MetadataKeys = ["x-tenant"] });

        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(new ClientInfo(null, [new("x-tenant", ["a", "b"])])), default);
        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(Tenant("a;b")), default);
        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(new ClientInfo(null, [new("x-tenant", ["a", "b"])])), default);
        await processor.ShutdownAsync(default);

        Assert.Equal(2, sink.Batches.Count);
        Assert.Equal(["a", "b"], sink.Batches.Single(b => b.ItemCount == 2).Client.GetMetadata("x-tenant"));
        Assert.Equal(["a;b"], sink.Batches.Single(b => b.ItemCount == 1).Client.GetMetadata("x-tenant"));
    }

    [Fact]
    public async Task ConsumeAsync_SeveralKeys_CombinationOfAllOfThem()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromHours(1), MetadataKeys = ["x-tenant", "x-env"] });

        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(new ClientInfo(null, [new("x-tenant", ["a"]), new("x-env", ["prod"])])), default);
        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(new ClientInfo(null, [new("x-tenant", ["a"]), new("x-env", ["dev"])])), default);
        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(new ClientInfo(null, [new("X-ENV", ["prod"]), new("x-tenant", ["a"]), new("x-other", ["1"])])), default);
        await processor.ShutdownAsync(default);

        Assert.Equal(2, sink.Batches.Count);
        var prod = sink.Batches.Single(b => b.ItemCount == 2);
        Assert.Equal(["x-env", "x-tenant"], prod.Client.Metadata.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["prod"], prod.Client.GetMetadata("x-env"));
    }

    [Fact]
    public async Task ConsumeAsync_AboveCardinalityLimit_RefusedWithOtelcolPermanentError()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromHours(1), MetadataKeys = ["x-tenant"], MetadataCardinalityLimit = 2 });
        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(Tenant("a")), default);
        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(Tenant("b")), default);

        var error = await Assert.ThrowsAsync<PermanentException>(async () => await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(Tenant("c")), default));
        await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(Tenant("a")), default);
        await processor.ShutdownAsync(default);

        Assert.Equal("too many batcher metadata-value combinations", error.Message);
        Assert.Equal(3, sink.ItemCount);
        Assert.DoesNotContain(sink.Batches, b => b.Client.GetMetadata("x-tenant") is ["c"]);
    }

    [Fact]
    public async Task ConsumeAsync_CardinalityLimitZero_NoLimit()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromHours(1), MetadataKeys = ["x-tenant"], MetadataCardinalityLimit = 0 });

        for (int i = 0; i < 50; i++)
        {
            await processor.ConsumeAsync(TestData.LogRecords(1).WithClient(Tenant($"t{i}")), default);
        }

        await processor.ShutdownAsync(default);

        Assert.Equal(50, sink.Batches.Count);
    }

    [Fact]
    public async Task ConsumeAsync_TimeoutPasses_EveryCombinationSent()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromMilliseconds(200), MetadataKeys = ["x-tenant"] });
        await processor.ConsumeAsync(TestData.LogRecords(2).WithClient(Tenant("a")), default);
        await processor.ConsumeAsync(TestData.LogRecords(3).WithClient(Tenant("b")), default);

        _time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.True(await sink.WaitForItemsAsync(5, TimeSpan.FromSeconds(10)));
        Assert.Equal(["a", "b"], sink.Batches.Select(b => b.Client.GetMetadata("x-tenant")[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConsumeAsync_WithoutMetadataKeys_BatchCarriesNoClient()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 2, Timeout = TimeSpan.FromHours(1) });

        await processor.ConsumeAsync(Spans(1, "a", Tenant("a")), default);
        await processor.ConsumeAsync(Spans(1, "b", Tenant("b")), default);

        var batch = Assert.Single(sink.Batches);
        Assert.Same(ClientInfo.Empty, batch.Client);
    }

    [Fact]
    public async Task ConsumeAsync_ReadOnlyInputSentAlone_SharedBatchKeepsItsClient()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 1, Timeout = TimeSpan.FromHours(1), MetadataKeys = ["x-tenant"] });
        var original = new ClientInfo("127.0.0.1", [new("x-tenant", ["a"]), new("x-other", ["1"])]);
        var shared = TestData.LogRecords(1).WithClient(original);
        shared.MarkReadOnly();

        await processor.ConsumeAsync(shared, default);

        var sent = Assert.Single(sink.Batches);
        Assert.NotSame(shared, sent);
        Assert.Same(original, shared.Client);
        Assert.Equal(["x-tenant"], sent.Client.Metadata.Keys);
    }

    [Fact]
    public async Task ShutdownAsync_ThenNewCombination_PassedOnAtOnce()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromHours(1), MetadataKeys = ["x-tenant"] });
        await processor.ShutdownAsync(default);

        await processor.ConsumeAsync(TestData.LogRecords(2).WithClient(Tenant("late")), default);

        var batch = Assert.Single(sink.Batches);
        Assert.Equal(["late"], batch.Client.GetMetadata("x-tenant"));
    }

    private static ClientInfo Tenant(string tenant) => new("127.0.0.1", [new("X-Tenant", [tenant]), new("user-agent", ["sdk"])]);

    private static Traces Spans(int count, string prefix, ClientInfo client) => TestData.Spans(count, prefix).WithClient(client);

    private IProcessor<T> Create<T>(IConsumer<T> next, BatchConfig config)
        where T : TelemetryData => new BatchProcessorFactory().CreateProcessor(_settings, config, next);
}
