using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Tests;

/// <summary>A consumer whose calls wait until <see cref="Open"/> is called; counts calls entered.</summary>
internal sealed class GateConsumer<T> : IConsumer<T>
    where T : TelemetryData
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;
    private long _items;

    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    public int Entered => Volatile.Read(ref _entered);

    public long Items => Interlocked.Read(ref _items);

    public void Open() => _gate.TrySetResult();

    public async ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _entered);
        await _gate.Task.WaitAsync(cancellationToken);
        Interlocked.Add(ref _items, data.ItemCount);
    }
}
