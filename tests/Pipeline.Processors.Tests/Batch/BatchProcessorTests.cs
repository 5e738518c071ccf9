using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Abstractions;
using Pipeline.Processors.Batch;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Processors.Tests.Batch;

public sealed class BatchProcessorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly LogRecorder _logs = new();
    private readonly ComponentSettings _settings;
    private readonly MetricRecorder _metrics;

    public BatchProcessorTests()
    {
        _settings = TestSettings.For(ComponentKind.Processor, "batch/test", _logs, _time);
        _metrics = new MetricRecorder(_settings.Meter);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _settings.Meter.Dispose();
    }

    [Fact]
    public async Task ConsumeAsync_SendBatchSizeReached_SendsOneMergedBatch()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 10, Timeout = TimeSpan.FromHours(1) });

        await processor.ConsumeAsync(TestData.Spans(4, "a"), default);
        await processor.ConsumeAsync(TestData.Spans(4, "b"), default);
        int before = sink.Batches.Count;
        await processor.ConsumeAsync(TestData.Spans(4, "c"), default);

        Assert.Equal(0, before);
        var batch = Assert.Single(sink.Batches);
        Assert.Equal(12, batch.ItemCount);
        Assert.True(batch.IsEncodedOnly);
        Assert.Equal(["a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3", "c0", "c1", "c2", "c3"], TestData.SpanNames(sink.Batches));
        Assert.Equal(1, _metrics.Sum("otelcol_processor_batch_batch_size_trigger_send"));
        Assert.Equal([12L], _metrics.Values("otelcol_processor_batch_batch_send_size"));
        Assert.Equal(12, _metrics.Sum("otelcol_processor_incoming_items"));
        Assert.Equal(12, _metrics.Sum("otelcol_processor_outgoing_items"));
    }

    [Fact]
    public async Task ConsumeAsync_TimeoutPasses_SendsPendingItems()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromMilliseconds(200) });
        await processor.ConsumeAsync(TestData.LogRecords(3), default);
        await processor.ConsumeAsync(TestData.LogRecords(2), default);

        _time.Advance(TimeSpan.FromMilliseconds(199));
        int beforeTimeout = sink.ItemCount;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, beforeTimeout);
        Assert.True(await sink.WaitForItemsAsync(5, TimeSpan.FromSeconds(10)));
        Assert.Single(sink.Batches);
        Assert.Equal(1, _metrics.Sum("otelcol_processor_batch_timeout_trigger_send"));
        Assert.Equal(0, _metrics.Sum("otelcol_processor_batch_batch_size_trigger_send"));
    }

    [Fact]
    public async Task ConsumeAsync_SizeTriggerLeavesRemainder_RestartsTimeoutFromTheSend()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 10, SendBatchMaxSize = 10, Timeout = TimeSpan.FromMilliseconds(200) });
        await processor.ConsumeAsync(TestData.Spans(5), default);
        _time.Advance(TimeSpan.FromMilliseconds(150));

        await processor.ConsumeAsync(TestData.Spans(8), default);
        _time.Advance(TimeSpan.FromMilliseconds(150));
        int afterFirstWindow = sink.ItemCount;
        _time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Equal(10, afterFirstWindow);
        Assert.Equal(13, sink.ItemCount);
    }

    [Fact]
    public async Task ConsumeAsync_TimeoutZero_SendsEachRequestAtOnce()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.Zero });

        await processor.ConsumeAsync(TestData.Spans(3), default);
        await processor.ConsumeAsync(TestData.Spans(4), default);

        Assert.Equal([3, 4], ItemCounts(sink));
    }

    [Fact]
    public async Task ConsumeAsync_AboveSendBatchMaxSize_SplitsAndKeepsRemainderPending()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 8, SendBatchMaxSize = 10, Timeout = TimeSpan.FromHours(1) });
        var input = TestData.Spans(25, perScope: 4, scopesPerResource: 2);

        await processor.ConsumeAsync(input, default);
        var sentBeforeShutdown = ItemCounts(sink);
        await processor.ShutdownAsync(default);

        Assert.Equal([10, 10], sentBeforeShutdown);
        Assert.Equal([10, 10, 5], ItemCounts(sink));
        var expected = new List<string>();
        for (int i = 0; i < 25; i++)
        {
            expected.Add("s" + i);
        }

        Assert.Equal(expected, TestData.SpanNames(sink.Batches));
        foreach (var batch in sink.Batches)
        {
            foreach (var rs in batch.Request.ResourceSpans)
            {
                Assert.StartsWith("svc", rs.Resource.Attributes[0].Value.StringValue, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task ConsumeAsync_SplitReadOnlyInput_LeavesInputUntouched()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 4, SendBatchMaxSize = 4, Timeout = TimeSpan.Zero });
        var input = TestData.Spans(10, encoded: false);
        input.MarkReadOnly();

        await processor.ConsumeAsync(input, default);

        Assert.Equal([4, 4, 2], ItemCounts(sink));
        Assert.Equal(10, input.ItemCount);
    }

    [Fact]
    public async Task ConsumeAsync_MetricsAboveMaxSize_SplitsInsideAMetric()
    {
        var sink = new SinkConsumer<Metrics>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 10, SendBatchMaxSize = 10, Timeout = TimeSpan.Zero });
        var input = TestData.Points(33, perMetric: 7);

        await processor.ConsumeAsync(input, default);

        Assert.Equal([10, 10, 10, 3], ItemCounts(sink));
        var values = new List<long>();
        foreach (var batch in sink.Batches)
        {
            foreach (var rm in batch.Request.ResourceMetrics)
            {
                foreach (var sm in rm.ScopeMetrics)
                {
                    foreach (var m in sm.Metrics)
                    {
                        if (m.Gauge is not null)
                        {
                            foreach (var p in m.Gauge.DataPoints)
                            {
                                values.Add(p.AsInt);
                            }
                        }
                        else
                        {
                            Assert.Equal(OpenTelemetry.Proto.Metrics.V1.AggregationTemporality.Delta, m.Histogram.AggregationTemporality);
                            foreach (var p in m.Histogram.DataPoints)
                            {
                                values.Add((long)p.Count);
                            }
                        }
                    }
                }
            }
        }

        var expected = new List<long>();
        for (int i = 0; i < 33; i++)
        {
            expected.Add(i);
        }

        Assert.Equal(expected, values);
    }

    [Fact]
    public async Task ConsumeAsync_LogsAboveMaxSize_SplitsRecords()
    {
        var sink = new SinkConsumer<Logs>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 5, SendBatchMaxSize = 5, Timeout = TimeSpan.Zero });

        await processor.ConsumeAsync(TestData.LogRecords(12, perScope: 4), default);

        Assert.Equal([5, 5, 2], ItemCounts(sink));
    }

    [Fact]
    public async Task ShutdownAsync_ItemsPending_SendsThemAll()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromHours(1) });
        await processor.ConsumeAsync(TestData.Spans(7), default);
        await processor.ConsumeAsync(TestData.Spans(6), default);

        await processor.ShutdownAsync(default);

        Assert.Equal([13], ItemCounts(sink));
    }

    [Fact]
    public async Task ShutdownAsync_TimeoutSendInFlight_WaitsForIt()
    {
        var next = new GateConsumer<Traces>();
        var processor = Create(next, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromMilliseconds(200) });
        await processor.ConsumeAsync(TestData.Spans(7), default);
        _time.Advance(TimeSpan.FromMilliseconds(200));

        var shutdown = processor.ShutdownAsync(default);
        bool completedWhileBlocked = shutdown.IsCompleted;
        next.Open();
        await shutdown;

        Assert.False(completedWhileBlocked);
        Assert.Equal(7, next.Items);
    }

    [Fact]
    public async Task ShutdownAsync_NeverStarted_Completes()
    {
        var processor = Create(new SinkConsumer<Logs>(), new BatchConfig());

        await processor.ShutdownAsync(default);

        Assert.Equal(0, ((BatchProcessor<Logs>)processor).PendingItems);
    }

    [Fact]
    public async Task ConsumeAsync_AfterShutdown_PassesDataThrough()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, Timeout = TimeSpan.FromHours(1) });
        await processor.ShutdownAsync(default);

        await processor.ConsumeAsync(TestData.Spans(3), default);

        Assert.Equal([3], ItemCounts(sink));
    }

    [Fact]
    public async Task ConsumeAsync_NextRefusesSizeTriggeredBatch_ThrowsCountsAndLogs()
    {
        var sink = new SinkConsumer<Traces> { Refuse = _ => new ConsumerException(StatusCode.Unavailable, "exporter down") };
        var processor = Create(sink, new BatchConfig { SendBatchSize = 5, Timeout = TimeSpan.FromHours(1) });
        await processor.ConsumeAsync(TestData.Spans(3), default);

        var error = await Assert.ThrowsAsync<ConsumerException>(async () => await processor.ConsumeAsync(TestData.Spans(3), default));

        Assert.Equal("exporter down", error.Message);
        Assert.Equal(6, _metrics.Sum("otelcol_processor_batch_send_failed_items"));
        Assert.Equal(0, _metrics.Sum("otelcol_processor_outgoing_items"));
        var entry = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("Sending a batch of 6 spans to the next consumer failed (size trigger).", entry.Message);
    }

    [Fact]
    public async Task ConsumeAsync_NextRefusesTimeoutBatch_CountsAndLogsWithoutThrowing()
    {
        var sink = new SinkConsumer<Logs> { Refuse = _ => new InvalidOperationException("boom") };
        var processor = Create(sink, new BatchConfig { SendBatchSize = 50, Timeout = TimeSpan.FromMilliseconds(10) });
        await processor.ConsumeAsync(TestData.LogRecords(4), default);

        _time.Advance(TimeSpan.FromMilliseconds(10));
        await processor.ShutdownAsync(default);

        Assert.Equal(4, _metrics.Sum("otelcol_processor_batch_send_failed_items"));
        var entry = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("Sending a batch of 4 log_records to the next consumer failed (timeout trigger).", entry.Message);
    }

    [Fact]
    public async Task ConsumeAsync_NextIsSlow_SizeTriggeringSenderWaits()
    {
        var next = new GateConsumer<Traces>();
        var processor = Create(next, new BatchConfig { SendBatchSize = 10, Timeout = TimeSpan.FromHours(1) });

        var small = processor.ConsumeAsync(TestData.Spans(4), default);
        var triggering = processor.ConsumeAsync(TestData.Spans(6), default);
        bool triggeringDoneWhileBlocked = triggering.IsCompleted;
        next.Open();
        await triggering;

        Assert.True(small.IsCompletedSuccessfully);
        Assert.False(triggeringDoneWhileBlocked);
        Assert.Equal(10, next.Items);
    }

    [Fact]
    public async Task ConsumeAsync_OutstandingItemsAboveBound_RefusesRetryably()
    {
        var next = new GateConsumer<Traces>();
        var processor = (BatchProcessor<Traces>)Create(next, new BatchConfig { SendBatchSize = 4096, Timeout = TimeSpan.FromHours(1) });
        var first = processor.ConsumeAsync(TestData.Spans(8192), default);
        var second = processor.ConsumeAsync(TestData.Spans(8192), default);

        var refused = Assert.Throws<ConsumerException>(() => processor.ConsumeAsync(TestData.Spans(1), default));
        next.Open();
        await first;
        await second;
        await processor.ConsumeAsync(TestData.Spans(1), default);

        Assert.Equal(16384, processor.MaxOutstandingItems);
        Assert.Equal(StatusCode.Unavailable, refused.Code);
        Assert.Equal("The batch processor already holds 16384 items pending or in flight (limit 16384); retry later.", refused.Message);
        Assert.Equal(1, processor.PendingItems);
    }

    [Fact]
    public async Task ConsumeAsync_ManyConcurrentProducers_DeliversEveryItemOnce()
    {
        var sink = new SinkConsumer<Traces>();
        var processor = Create(sink, new BatchConfig { SendBatchSize = 100, SendBatchMaxSize = 150, Timeout = TimeSpan.FromHours(1) });
        long sent = 0;
        var producers = new Task[16];
        for (int p = 0; p < producers.Length; p++)
        {
            int seed = p;
            producers[p] = Task.Run(async () =>
            {
                var random = new Random(seed);
                for (int i = 0; i < 200; i++)
                {
                    int n = random.Next(1, 21);
                    await processor.ConsumeAsync(TestData.Spans(n), default);
                    Interlocked.Add(ref sent, n);
                }
            });
        }

        await Task.WhenAll(producers);
        await processor.ShutdownAsync(default);

        Assert.Equal(Interlocked.Read(ref sent), sink.ItemCount);
        Assert.All(sink.Batches, b => Assert.InRange(b.ItemCount, 1, 150));
        Assert.Equal(sent, _metrics.Sum("otelcol_processor_incoming_items"));
        Assert.Equal(sent, _metrics.Sum("otelcol_processor_outgoing_items"));
    }

    [Fact]
    public void Factory_Capabilities_AreNotMutating()
    {
        var factory = new BatchProcessorFactory();

        var processor = factory.CreateProcessor(_settings, factory.CreateDefaultConfig(), new SinkConsumer<Metrics>());

        Assert.False(processor.Capabilities.MutatesData);
        Assert.Equal("batch", factory.Type);
        Assert.Equal(3, factory.Stability.Count);
    }

    private IProcessor<T> Create<T>(IConsumer<T> next, BatchConfig config)
        where T : TelemetryData => new BatchProcessorFactory().CreateProcessor(_settings, config, next);

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
