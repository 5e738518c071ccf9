using Grpc.Core;
using Pipeline.Abstractions;
using Pipeline.Host.Graph;
using Pipeline.Testing;
using Pipeline.Telemetry;

namespace Pipeline.Host.Tests.Graph;

public sealed class FanOutConsumerTests
{
    [Fact]
    public void Create_OneConsumer_ReturnsItUnwrapped()
    {
        var sink = new SinkConsumer<Traces>();

        var consumer = FanOutConsumer<Traces>.Create([sink]);

        Assert.Same(sink, consumer);
    }

    [Fact]
    public async Task ConsumeAsync_TwoReadOnlyConsumers_ShareTheBatchMarkedReadOnly()
    {
        var a = new SinkConsumer<Traces>();
        var b = new SinkConsumer<Traces>();
        var fanOut = FanOutConsumer<Traces>.Create([a, b]);
        var data = GraphFixture.Spans("s");

        await fanOut.ConsumeAsync(data, CancellationToken.None);

        Assert.Same(data, Assert.Single(a.Batches));
        Assert.Same(data, Assert.Single(b.Batches));
        Assert.True(data.IsReadOnly);
    }

    [Fact]
    public async Task ConsumeAsync_MutatingAndReadOnly_MutatingGetsAWritableClone()
    {
        var mutating = new SinkConsumer<Traces> { Capabilities = ConsumerCapabilities.Mutating };
        var readOnly = new SinkConsumer<Traces>();
        var fanOut = FanOutConsumer<Traces>.Create([readOnly, mutating]);
        var data = GraphFixture.Spans("s");

        await fanOut.ConsumeAsync(data, CancellationToken.None);

        var copy = Assert.Single(mutating.Batches);
        Assert.NotSame(data, copy);
        Assert.False(copy.IsReadOnly);
        Assert.Same(data, Assert.Single(readOnly.Batches));
        copy.GetMutableRequest().ResourceSpans.Clear();
        Assert.Equal(1, data.ItemCount);
    }

    [Fact]
    public async Task ConsumeAsync_TwoMutatingConsumers_LastGetsTheOriginal()
    {
        var first = new SinkConsumer<Traces> { Capabilities = ConsumerCapabilities.Mutating };
        var last = new SinkConsumer<Traces> { Capabilities = ConsumerCapabilities.Mutating };
        var fanOut = FanOutConsumer<Traces>.Create([first, last]);
        var data = GraphFixture.Spans("s");

        await fanOut.ConsumeAsync(data, CancellationToken.None);

        Assert.NotSame(data, Assert.Single(first.Batches));
        Assert.Same(data, Assert.Single(last.Batches));
        Assert.False(data.IsReadOnly);
    }

    [Fact]
    public async Task ConsumeAsync_ReadOnlyInputToMutatingConsumers_ClonesForEveryOne()
    {
        var first = new SinkConsumer<Traces> { Capabilities = ConsumerCapabilities.Mutating };
        var last = new SinkConsumer<Traces> { Capabilities = ConsumerCapabilities.Mutating };
        var fanOut = FanOutConsumer<Traces>.Create([first, last]);
        var data = GraphFixture.Spans("s");
        data.MarkReadOnly();

        await fanOut.ConsumeAsync(data, CancellationToken.None);

        Assert.NotSame(data, Assert.Single(first.Batches));
        Assert.NotSame(data, Assert.Single(last.Batches));
    }

    [Fact]
    public async Task ConsumeAsync_OneConsumerFails_OthersStillGetDataAndTheErrorIsRethrown()
    {
        var failing = new SinkConsumer<Traces> { Refuse = _ => new ConsumerException(StatusCode.ResourceExhausted, "queue is full") };
        var healthy = new SinkConsumer<Traces>();
        var fanOut = FanOutConsumer<Traces>.Create([failing, healthy]);

        var error = await Assert.ThrowsAsync<ConsumerException>(() => fanOut.ConsumeAsync(GraphFixture.Spans("s"), CancellationToken.None).AsTask());

        Assert.Equal(StatusCode.ResourceExhausted, error.Code);
        Assert.Single(healthy.Batches);
    }

    [Fact]
    public async Task ConsumeAsync_AllFailPermanently_ThrowsPermanent()
    {
        var a = new SinkConsumer<Traces> { Refuse = _ => new PermanentException("bad a") };
        var b = new SinkConsumer<Traces> { Refuse = _ => new PermanentException("bad b") };
        var fanOut = FanOutConsumer<Traces>.Create([a, b]);

        var error = await Assert.ThrowsAsync<PermanentException>(() => fanOut.ConsumeAsync(GraphFixture.Spans("s"), CancellationToken.None).AsTask());

        Assert.Equal("bad a; bad b", error.Message);
    }

    [Fact]
    public async Task ConsumeAsync_PermanentAndRetryableFailures_ThrowsRetryable()
    {
        var a = new SinkConsumer<Traces> { Refuse = _ => new PermanentException("bad a") };
        var b = new SinkConsumer<Traces> { Refuse = _ => new InvalidOperationException("busy") };
        var fanOut = FanOutConsumer<Traces>.Create([a, b]);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => fanOut.ConsumeAsync(GraphFixture.Spans("s"), CancellationToken.None).AsTask());

        Assert.IsNotType<PermanentException>(error);
        var aggregate = Assert.IsType<AggregateException>(error);
        Assert.Equal(2, aggregate.InnerExceptions.Count);
    }
}
