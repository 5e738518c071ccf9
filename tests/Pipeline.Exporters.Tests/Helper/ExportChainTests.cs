using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Abstractions;
using Pipeline.Exporters.Helper;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Exporters.Tests.Helper;

public sealed class ExportChainTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly LogLineRecorder _logs = new();
    private readonly ComponentSettings _settings;
    private readonly MetricRecorder _metrics;

    public ExportChainTests()
    {
        _settings = TestSettings.For(ComponentKind.Exporter, "otlp_grpc/test", _logs, _time);
        _metrics = new MetricRecorder(_settings.Meter);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _settings.Meter.Dispose();
    }

    [Fact]
    public async Task ConsumeAsync_RetryableErrorsThenSuccess_RetriesAndCountsSent()
    {
        int attempts = 0;
        var chain = Chain(NoQueue(), Retry(initial: 1), (_, _) =>
        {
            if (++attempts < 3)
            {
                throw new ConsumerException(StatusCode.Unavailable, "backend down");
            }

            return ValueTask.CompletedTask;
        });
        await chain.StartAsync(NopHost.Instance, default);

        var consume = chain.ConsumeAsync(TestTraces.Encoded(4).Batch, default).AsTask();
        bool done = await Poll.PumpAsync(_time, consume, TimeSpan.FromSeconds(1));

        Assert.True(done);
        await consume;
        Assert.Equal(3, attempts);
        Assert.Equal(4, _metrics.Sum("otelcol_exporter_sent_spans"));
        Assert.Equal(0, _metrics.Sum("otelcol_exporter_send_failed_spans"));
        Assert.Equal(
            ["Exporting failed. Will retry the request after interval. (error: backend down, interval: 1s)", "Exporting failed. Will retry the request after interval. (error: backend down, interval: 1.5s)"],
            _logs.At(LogLevel.Information));
    }

    [Fact]
    public async Task ConsumeAsync_PermanentError_NotRetriedAndSurfaced()
    {
        int attempts = 0;
        var chain = Chain(NoQueue(), Retry(initial: 1), (_, _) =>
        {
            attempts++;
            throw new PermanentException("bad data");
        });
        await chain.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<PermanentException>(() => chain.ConsumeAsync(TestTraces.Encoded(2).Batch, default).AsTask());

        Assert.Equal("not retryable error: bad data", error.Message);
        Assert.Equal(1, attempts);
        Assert.Equal(2, _metrics.Sum("otelcol_exporter_send_failed_spans"));
    }

    [Fact]
    public async Task ConsumeAsync_RetriesExhausted_FailsWithNoMoreRetriesLeft()
    {
        int attempts = 0;
        var chain = Chain(NoQueue(), Retry(initial: 5, max: 5, maxElapsed: 14), (_, _) =>
        {
            attempts++;
            throw new ConsumerException(StatusCode.Unavailable, "still down");
        });
        await chain.StartAsync(NopHost.Instance, default);

        var consume = chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask();
        await Poll.PumpAsync(_time, consume, TimeSpan.FromSeconds(0.5));
        var error = await Assert.ThrowsAsync<ConsumerException>(() => consume);

        Assert.Equal("no more retries left: still down", error.Message);
        Assert.Equal(StatusCode.Unavailable, error.Code);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task ConsumeAsync_RetryAfterLongerThanBackoff_WaitsForRetryAfter()
    {
        int attempts = 0;
        var chain = Chain(NoQueue(), Retry(initial: 1), (_, _) =>
        {
            if (++attempts == 1)
            {
                throw new ConsumerException(StatusCode.ResourceExhausted, "slow down", TimeSpan.FromSeconds(90));
            }

            return ValueTask.CompletedTask;
        });
        await chain.StartAsync(NopHost.Instance, default);

        var consume = chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask();
        bool done = await Poll.PumpAsync(_time, consume, TimeSpan.FromSeconds(1));
        await consume;

        Assert.True(done);
        Assert.Equal(2, attempts);
        Assert.Equal("Exporting failed. Will retry the request after interval. (error: slow down, interval: 1m30s)", _logs.At(LogLevel.Information)[0]);
    }

    [Fact]
    public async Task ConsumeAsync_AttemptExceedsTimeout_FailsWithDeadlineExceeded()
    {
        var chain = new ExportChain<Traces>(_settings, new TimeoutConfig { Timeout = TimeSpan.FromSeconds(2) }, new RetryConfig { Enabled = false }, NoQueue(), async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        });
        await chain.StartAsync(NopHost.Instance, default);

        var consume = chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask();
        await Poll.PumpAsync(_time, consume, TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<ConsumerException>(() => consume);

        Assert.Equal(StatusCode.DeadlineExceeded, error.Code);
        Assert.StartsWith("request timed out after 2s: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumeAsync_QueueFull_RejectsCountsAndThrowsRetryable()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int pushes = 0;
        var chain = Chain(new QueueConfig { QueueSize = 1, NumConsumers = 1 }, Retry(initial: 1), async (_, _) =>
        {
            Interlocked.Increment(ref pushes);
            await gate.Task;
        });
        await chain.StartAsync(NopHost.Instance, default);
        await chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
        await Poll.UntilAsync(() => Volatile.Read(ref pushes) == 1);
        await chain.ConsumeAsync(TestTraces.Encoded(2).Batch, default);

        var error = await Assert.ThrowsAsync<ConsumerException>(() => chain.ConsumeAsync(TestTraces.Encoded(3).Batch, default).AsTask());

        Assert.Equal(StatusCode.Unavailable, error.Code);
        Assert.Equal("sending queue is full", error.Message);
        Assert.Equal(3, _metrics.Sum("otelcol_exporter_enqueue_failed_spans"));
        Assert.Equal(["Exporting failed. Rejecting data. (error: sending queue is full, rejected_items: 3)"], _logs.At(LogLevel.Error));
        gate.SetResult();
        await chain.ShutdownAsync(default);
        Assert.Equal(3, _metrics.Sum("otelcol_exporter_sent_spans"));
    }

    [Fact]
    public async Task ConsumeAsync_QueueFullWithBlockOnOverflow_WaitsForSpace()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int pushes = 0;
        var chain = Chain(new QueueConfig { QueueSize = 1, NumConsumers = 1, BlockOnOverflow = true }, Retry(initial: 1), async (_, _) =>
        {
            Interlocked.Increment(ref pushes);
            await gate.Task;
        });
        await chain.StartAsync(NopHost.Instance, default);
        await chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
        await Poll.UntilAsync(() => Volatile.Read(ref pushes) == 1);
        await chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default);

        var blocked = chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask();
        await Task.Delay(50);
        bool completedWhileFull = blocked.IsCompleted;
        gate.SetResult();
        await blocked.WaitAsync(Poll.Deadline);
        await chain.ShutdownAsync(default);

        Assert.False(completedWhileFull);
        Assert.Equal(0, _metrics.Sum("otelcol_exporter_enqueue_failed_spans"));
        Assert.Equal(3, _metrics.Sum("otelcol_exporter_sent_spans"));
    }

    [Fact]
    public async Task ConsumeAsync_ItemsSizer_CountsSpansAgainstQueueSize()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int pushes = 0;
        var chain = Chain(new QueueConfig { QueueSize = 5, NumConsumers = 1, Sizer = QueueSizer.Items }, Retry(initial: 1), async (_, _) =>
        {
            Interlocked.Increment(ref pushes);
            await gate.Task;
        });
        await chain.StartAsync(NopHost.Instance, default);
        await chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
        await Poll.UntilAsync(() => Volatile.Read(ref pushes) == 1);
        await chain.ConsumeAsync(TestTraces.Encoded(4).Batch, default);

        await Assert.ThrowsAsync<ConsumerException>(() => chain.ConsumeAsync(TestTraces.Encoded(2).Batch, default).AsTask());

        Assert.Equal(4, chain.QueueSize);
        gate.SetResult();
        await chain.ShutdownAsync(default);
    }

    [Fact]
    public async Task ConsumeAsync_WaitForResult_SurfacesTheExportError()
    {
        var chain = Chain(new QueueConfig { WaitForResult = true, NumConsumers = 1 }, new RetryConfig { Enabled = false }, (_, _) => throw new PermanentException("rejected by backend"));
        await chain.StartAsync(NopHost.Instance, default);

        var error = await Assert.ThrowsAsync<PermanentException>(() => chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());

        Assert.Equal("rejected by backend", error.Message);
        Assert.Equal(["Exporting failed. Dropping data. (error: rejected by backend, dropped_items: 1)"], _logs.At(LogLevel.Error));
        await chain.ShutdownAsync(default);
    }

    [Fact]
    public async Task ShutdownAsync_BackendRecoversBeforeDeadline_DeliversEverything()
    {
        int failuresLeft = 3;
        int sentSpans = 0;
        var chain = Chain(new QueueConfig { NumConsumers = 2 }, Retry(initial: 1, maxElapsed: 0), (data, _) =>
        {
            if (Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                throw new ConsumerException(StatusCode.Unavailable, "down");
            }

            Interlocked.Add(ref sentSpans, data.ItemCount);
            return ValueTask.CompletedTask;
        });
        await chain.StartAsync(NopHost.Instance, default);
        for (int i = 0; i < 5; i++)
        {
            await chain.ConsumeAsync(TestTraces.Encoded(2).Batch, default);
        }

        var shutdown = chain.ShutdownAsync(CancellationToken.None);
        bool done = await Poll.PumpAsync(_time, shutdown, TimeSpan.FromSeconds(1));
        await shutdown;

        Assert.True(done);
        Assert.Equal(10, Volatile.Read(ref sentSpans));
        Assert.Equal(10, _metrics.Sum("otelcol_exporter_sent_spans"));
        Assert.Empty(_logs.At(LogLevel.Error));
    }

    [Fact]
    public async Task ShutdownAsync_DeadlinePassesWhileBackendDown_ReportsDroppedItems()
    {
        int attempts = 0;
        var chain = Chain(new QueueConfig { NumConsumers = 1 }, Retry(initial: 1, maxElapsed: 0), (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new ConsumerException(StatusCode.Unavailable, "down");
        });
        await chain.StartAsync(NopHost.Instance, default);
        for (int i = 0; i < 3; i++)
        {
            await chain.ConsumeAsync(TestTraces.Encoded(2).Batch, default);
        }

        await Poll.UntilAsync(() => Volatile.Read(ref attempts) >= 1);
        using var deadline = new CancellationTokenSource();
        var shutdown = chain.ShutdownAsync(deadline.Token);
        _time.Advance(TimeSpan.FromSeconds(5));
        await deadline.CancelAsync();
        await shutdown.WaitAsync(Poll.Deadline);

        Assert.Equal(6, _metrics.Sum("otelcol_exporter_send_failed_spans"));
        Assert.Equal(0, _metrics.Sum("otelcol_exporter_sent_spans"));
        Assert.Equal(["Shutdown deadline passed before the sending queue drained. Dropping data. (dropped_items: 6)"], _logs.At(LogLevel.Error));
    }

    [Fact]
    public async Task ConsumeAsync_AfterShutdown_IsRefused()
    {
        var chain = Chain(new QueueConfig(), Retry(initial: 1), (_, _) => ValueTask.CompletedTask);
        await chain.StartAsync(NopHost.Instance, default);
        await chain.ShutdownAsync(default);

        var error = await Assert.ThrowsAsync<ConsumerException>(() => chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());

        Assert.Equal("sending queue is stopped", error.Message);
    }

    [Fact]
    public async Task StartAsync_StorageExtensionMissing_FailsNamingTheExtension()
    {
        var queue = new QueueConfig { Storage = new ComponentId("file_storage") };
        var chain = Chain(queue, Retry(initial: 1), (_, _) => ValueTask.CompletedTask);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => chain.StartAsync(NopHost.Instance, default));

        Assert.Equal("sending_queue::storage: storage extension \"file_storage\" is not configured.", error.Message);
    }

    [Fact]
    public void ExponentialBackoff_NoJitter_GrowsByMultiplierUpToMaxInterval()
    {
        var backoff = new ExponentialBackoff(new RetryConfig { InitialInterval = TimeSpan.FromSeconds(5), MaxInterval = TimeSpan.FromSeconds(30), Multiplier = 1.5, RandomizationFactor = 0 });

        var waits = new List<double>();
        for (int i = 0; i < 7; i++)
        {
            waits.Add(backoff.Next(0.5).TotalSeconds);
        }

        double[] expected = [5, 7.5, 11.25, 16.875, 25.3125, 30, 30];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], waits[i], 0.001);
        }
    }

    [Theory]
    [InlineData(0.0, 2.5)]
    [InlineData(0.999999, 7.5)]
    public void ExponentialBackoff_WithJitter_StaysWithinRandomizationFactor(double random, double expectedSeconds)
    {
        var backoff = new ExponentialBackoff(new RetryConfig { InitialInterval = TimeSpan.FromSeconds(5), RandomizationFactor = 0.5 });

        var wait = backoff.Next(random);

        Assert.Equal(expectedSeconds, Math.Round(wait.TotalSeconds, 3));
    }

    private static QueueConfig NoQueue() => new() { Enabled = false };

    private static RetryConfig Retry(double initial, double max = 30, double maxElapsed = 300) => new()
    {
        InitialInterval = TimeSpan.FromSeconds(initial),
        MaxInterval = TimeSpan.FromSeconds(max),
        MaxElapsedTime = TimeSpan.FromSeconds(maxElapsed),
        RandomizationFactor = 0,
    };

    private ExportChain<Traces> Chain(QueueConfig queue, RetryConfig retry, Func<Traces, CancellationToken, ValueTask> push) =>
        new(_settings, new TimeoutConfig { Timeout = TimeSpan.Zero }, retry, queue, push);
}
