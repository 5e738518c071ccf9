using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Abstractions;
using Pipeline.Exporters.Helper;
using Pipeline.Exporters.Tests.Helper;
using Pipeline.Extensions.FileStorage;
using Pipeline.Telemetry;
using Pipeline.Testing;
using Xunit;

namespace Pipeline.Exporters.Tests.PersistentQueue;

public sealed class PersistentQueueTests : IDisposable
{
    private static readonly ComponentId StorageId = new("file_storage", "x");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pqueue-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new();

    public PersistentQueueTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Restart_BackendWasDown_DeliversEveryPersistedBatchExactlyAsSent()
    {
        var sent = new List<byte[]>();
        await using (var run = await RunAsync(numConsumers: 1, (_, _) => throw new ConsumerException(StatusCode.Unavailable, "backend down")))
        {
            for (int i = 0; i < 5; i++)
            {
                var (batch, bytes) = TestTraces.Encoded(i + 1, "svc-" + i);
                sent.Add(bytes);
                await run.Chain.ConsumeAsync(batch, default);
            }
        }

        var received = new ConcurrentQueue<byte[]>();
        await using (var run = await RunAsync(numConsumers: 1, (data, _) =>
        {
            received.Enqueue(data.ToByteArray());
            return ValueTask.CompletedTask;
        }))
        {
            Assert.True(await Poll.UntilAsync(() => received.Count >= 5));
        }

        Assert.Equal(sent, received.ToArray());
        Assert.Equal(0, PendingInStore());
    }

    [Fact]
    public async Task ShutdownAsync_BackendDown_LeavesItemsOnDisk()
    {
        int attempts = 0;
        await using (var run = await RunAsync(numConsumers: 2, (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new ConsumerException(StatusCode.Unavailable, "backend down");
        }))
        {
            for (int i = 0; i < 3; i++)
            {
                await run.Chain.ConsumeAsync(TestTraces.Encoded(2).Batch, default);
            }

            Assert.True(await Poll.UntilAsync(() => Volatile.Read(ref attempts) >= 2));
        }

        Assert.Equal(3, PendingInStore());
    }

    [Fact]
    public async Task ConsumeAsync_PersistedQueueFull_RefusesAndRestartDeliversAccepted()
    {
        var gate = new TaskCompletionSource();
        int started = 0;
        await using (var run = await RunAsync(numConsumers: 1, async (_, ct) =>
        {
            Interlocked.Increment(ref started);
            await gate.Task.WaitAsync(ct);
        }, queueSize: 2))
        {
            await run.Chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
            Assert.True(await Poll.UntilAsync(() => Volatile.Read(ref started) == 1));
            await run.Chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
            await run.Chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default);

            var error = await Assert.ThrowsAsync<ConsumerException>(() => run.Chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default).AsTask());

            Assert.Equal("sending queue is full", error.Message);
            Assert.Equal(StatusCode.Unavailable, error.Code);
        }

        Assert.Equal(3, PendingInStore());
        int delivered = 0;
        await using (var run = await RunAsync(numConsumers: 2, (_, _) =>
        {
            Interlocked.Increment(ref delivered);
            return ValueTask.CompletedTask;
        }))
        {
            Assert.True(await Poll.UntilAsync(() => Volatile.Read(ref delivered) == 3));
        }

        Assert.Equal(0, PendingInStore());
    }

    [Fact]
    public async Task SendFailsPermanently_RemovesTheItemFromStorage()
    {
        int attempts = 0;
        await using (var run = await RunAsync(numConsumers: 1, (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new PermanentException("bad data");
        }))
        {
            await run.Chain.ConsumeAsync(TestTraces.Encoded(1).Batch, default);
            Assert.True(await Poll.UntilAsync(() => run.Chain.PersistedCount == 0));
        }

        Assert.Equal(1, attempts);
        Assert.Equal(0, PendingInStore());
    }

    [Fact]
    public async Task OutageLongerThanMaxElapsedTime_KeepsTheRequestOnDiskAndDeliversItAfterwards()
    {
        int attempts = 0;
        int delivered = 0;
        bool down = true;
        var retry = new RetryConfig { InitialInterval = TimeSpan.FromSeconds(1), MaxInterval = TimeSpan.FromSeconds(1), MaxElapsedTime = TimeSpan.FromSeconds(2), RandomizationFactor = 0 };
        await using (var run = await RunAsync(numConsumers: 1, (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            if (Volatile.Read(ref down))
            {
                throw new ConsumerException(StatusCode.Unavailable, "backend down");
            }

            Interlocked.Increment(ref delivered);
            return ValueTask.CompletedTask;
        }, retry: retry))
        {
            await run.Chain.ConsumeAsync(TestTraces.Encoded(3).Batch, default);

            // One retry round is 3 attempts (t = 0s, 1s, 2s); a 7th attempt means two rounds ran out and the request came back.
            bool keptRetrying = await AdvanceUntilAsync(() => Volatile.Read(ref attempts) >= 7);
            long persistedDuringOutage = run.Chain.PersistedCount;
            Volatile.Write(ref down, false);
            bool deliveredAfterOutage = await AdvanceUntilAsync(() => Volatile.Read(ref delivered) == 1);

            Assert.True(keptRetrying);
            Assert.Equal(1, persistedDuringOutage);
            Assert.True(deliveredAfterOutage);
            Assert.True(await Poll.UntilAsync(() => run.Chain.PersistedCount == 0));
        }

        Assert.Equal(1, delivered);
        Assert.Equal(0, PendingInStore());
    }

    [Fact]
    public async Task StartAsync_ExtensionIsNotStorage_FailsNamingIt()
    {
        var chain = NewChain(1, 10, (_, _) => ValueTask.CompletedTask);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => chain.StartAsync(new Host(StorageId, new NotStorage()), default));

        Assert.Equal("sending_queue::storage: extension \"file_storage/x\" is not a storage extension.", error.Message);
    }

    private long PendingInStore()
    {
        using var client = FileStorageClient.Open(Path.Combine(_dir, "exporter_otlp_grpc_test_traces"), false, TimeSpan.FromSeconds(1), false, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        return client.PendingCount;
    }

    // Moves the fake clock a second at a time (the retry loop's waits) until the condition holds; bounded.
    private async Task<bool> AdvanceUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 2000 && !condition(); i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(5);
        }

        return condition();
    }

    private ExportChain<Traces> NewChain(int numConsumers, long queueSize, Func<Traces, CancellationToken, ValueTask> push, RetryConfig? retry = null)
    {
        var settings = TestSettings.For(ComponentKind.Exporter, "otlp_grpc/test", time: _time);
        var queue = new QueueConfig { Storage = StorageId, NumConsumers = numConsumers, QueueSize = queueSize };
        retry ??= new RetryConfig { InitialInterval = TimeSpan.FromSeconds(5), MaxInterval = TimeSpan.FromSeconds(30), MaxElapsedTime = TimeSpan.Zero };
        return new ExportChain<Traces>(settings, new TimeoutConfig { Timeout = TimeSpan.Zero }, retry, queue, push);
    }

    private async Task<Run> RunAsync(int numConsumers, Func<Traces, CancellationToken, ValueTask> push, long queueSize = 100, RetryConfig? retry = null)
    {
        var config = new FileStorageConfig { Directory = _dir };
        var extension = new FileStorageFactory().CreateExtension(TestSettings.For(ComponentKind.Extension, "file_storage/x"), config);
        await extension.StartAsync(NopHost.Instance, default);
        var host = new Host(StorageId, extension);
        var chain = NewChain(numConsumers, queueSize, push, retry);
        await chain.StartAsync(host, default);
        return new Run(chain, extension, _dir);
    }

    private sealed record Run(ExportChain<Traces> Chain, IExtension Extension, string Dir) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Chain.ShutdownAsync(deadline.Token);
            await Extension.ShutdownAsync(default);
        }
    }

    private sealed class Host(ComponentId id, IExtension extension) : IComponentHost
    {
        public IExtension? GetExtension(ComponentId wanted) => wanted == id ? extension : null;
    }

    private sealed class NotStorage : IExtension
    {
        public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
