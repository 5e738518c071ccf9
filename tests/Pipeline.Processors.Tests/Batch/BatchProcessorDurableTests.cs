using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Abstractions;
using Pipeline.Processors.Batch;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Processors.Tests.Batch;

/// <summary>
/// The batch processor in a durable pipeline (an exporter behind it persists): callers are answered only once the
/// batch holding their items was accepted downstream (otelcol #12711 is the gap this closes).
/// </summary>
public sealed class BatchProcessorDurableTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly ComponentSettings _durable;
    private readonly ComponentSettings _plain;

    public BatchProcessorDurableTests()
    {
        _plain = TestSettings.For(ComponentKind.Processor, "batch/durable", NullLoggerFactory.Instance, _time);
        _durable = new ComponentSettings
        {
            Id = _plain.Id,
            Kind = _plain.Kind,
            Logger = _plain.Logger,
            LoggerFactory = _plain.LoggerFactory,
            Meter = _plain.Meter,
            TimeProvider = _time,
            DurableDownstream = true,
        };
    }

    public void Dispose() => _plain.Meter.Dispose();

    [Fact]
    public async Task ConsumeAsync_DurableDownstream_CompletesOnlyWhenTheTimeoutSendsTheBatch()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(_durable, sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromMilliseconds(200) });

        var call = processor.ConsumeAsync(TestData.Spans(3), default).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(199));
        bool doneBeforeTimeout = call.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await call.WaitAsync(Bound);

        Assert.False(doneBeforeTimeout);
        Assert.Equal(3, sink.ItemCount);
    }

    [Fact]
    public async Task ConsumeAsync_NotDurable_CompletesWhileTheItemsArePending()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(_plain, sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromHours(1) });

        var call = processor.ConsumeAsync(TestData.Spans(3), default);

        Assert.True(call.IsCompletedSuccessfully);
        Assert.Equal(0, sink.ItemCount);
        Assert.False(((BatchProcessor<Traces>)processor).WaitsForDelivery);
        await processor.ShutdownAsync(default);
    }

    [Fact]
    public async Task ConsumeAsync_ConcurrentCallers_ShareOneBatchAndAllComplete()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(_durable, sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromMilliseconds(200) });

        var first = processor.ConsumeAsync(TestData.Spans(2, "a"), default).AsTask();
        var second = processor.ConsumeAsync(TestData.Spans(3, "b"), default).AsTask();
        var third = processor.ConsumeAsync(TestData.Spans(1, "c"), default).AsTask();
        bool anyDoneEarly = first.IsCompleted || second.IsCompleted || third.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await Task.WhenAll(first, second, third).WaitAsync(Bound);

        Assert.False(anyDoneEarly);
        var batch = Assert.Single(sink.Batches);
        Assert.Equal(6, batch.ItemCount);
    }

    [Fact]
    public async Task ConsumeAsync_RequestCompletesTheBatch_EveryCallerInItCompletesWithoutWaitingForTheTimer()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(_durable, sink, new BatchConfig { SendBatchSize = 10, Timeout = TimeSpan.FromHours(1) });

        var first = processor.ConsumeAsync(TestData.Spans(4), default).AsTask();
        bool firstDoneAlone = first.IsCompleted;
        var second = processor.ConsumeAsync(TestData.Spans(8), default).AsTask();
        await Task.WhenAll(first, second).WaitAsync(Bound);

        Assert.False(firstDoneAlone);
        Assert.Equal([12], ItemCounts(sink));
    }

    [Fact]
    public async Task ConsumeAsync_DownstreamRefusesTheBatch_EveryCallerInItGetsTheRetryableError()
    {
        var sink = new SinkConsumer<Traces> { Refuse = _ => new ConsumerException(StatusCode.Unavailable, "sending queue is full") };
        var processor = Create(_durable, sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromMilliseconds(200) });

        var first = processor.ConsumeAsync(TestData.Spans(2), default).AsTask();
        var second = processor.ConsumeAsync(TestData.Spans(2), default).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(200));

        var e1 = await Assert.ThrowsAsync<ConsumerException>(() => first.WaitAsync(Bound));
        var e2 = await Assert.ThrowsAsync<ConsumerException>(() => second.WaitAsync(Bound));
        Assert.Equal(StatusCode.Unavailable, e1.Code);
        Assert.Equal("sending queue is full", e1.Message);
        Assert.Equal(StatusCode.Unavailable, e2.Code);
    }

    [Fact]
    public async Task ConsumeAsync_ItemsSplitAcrossTwoBatches_CallerWaitsForBothAndOnlyItsBatchesDecide()
    {
        var sink = new SinkConsumer<Traces> { Refuse = b => b.ItemCount == 2 ? new ConsumerException(StatusCode.Unavailable, "remainder refused") : null };
        var processor = Create(_durable, sink, new BatchConfig { SendBatchSize = 10, SendBatchMaxSize = 10, Timeout = TimeSpan.FromMilliseconds(200) });

        var first = processor.ConsumeAsync(TestData.Spans(6, "a"), default).AsTask();
        var second = processor.ConsumeAsync(TestData.Spans(6, "b"), default).AsTask();
        await first.WaitAsync(Bound);
        bool secondDoneBeforeRemainder = second.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.False(secondDoneBeforeRemainder);
        var error = await Assert.ThrowsAsync<ConsumerException>(() => second.WaitAsync(Bound));
        Assert.Equal("remainder refused", error.Message);
        Assert.Equal([10], ItemCounts(sink));
    }

    [Fact]
    public async Task ShutdownAsync_CallersWaiting_CompleteWhenTheFinalFlushIsAccepted()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(_durable, sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromHours(1) });
        var call = processor.ConsumeAsync(TestData.LogRecords(5), default).AsTask();

        await processor.ShutdownAsync(default);
        await call.WaitAsync(Bound);

        Assert.Equal(5, sink.ItemCount);
    }

    [Fact]
    public async Task ConsumeAsync_CallerGivesUp_StopsWaitingButItsItemsAreStillSent()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(_durable, sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromMilliseconds(200) });
        using var cts = new CancellationTokenSource();
        var call = processor.ConsumeAsync(TestData.Spans(4), cts.Token).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Bound));
        _time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.Equal(4, sink.ItemCount);
    }

    [Fact]
    public async Task ConsumeAsync_DurableWithoutTimeout_AnswersEachCallerWithItsOwnSend()
    {
        var sink = new SinkConsumer<Metrics>();
        var processor = Create(_durable, sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.Zero });

        await processor.ConsumeAsync(TestData.Points(7), default).AsTask().WaitAsync(Bound);

        Assert.Equal(7, sink.ItemCount);
    }

    private static IProcessor<T> Create<T>(ComponentSettings settings, IConsumer<T> next, BatchConfig config)
        where T : TelemetryData => new BatchProcessorFactory().CreateProcessor(settings, config, next);

    private static List<int> ItemCounts<T>(SinkConsumer<T> sink)
        where T : TelemetryData
    {
        var counts = new List<int>();
        foreach (var b in sink.Batches)
        {
            counts.Add(b.ItemCount);
        }

        return counts;
    }
}
