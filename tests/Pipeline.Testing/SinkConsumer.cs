using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Testing;

/// <summary>A thread-safe consumer that keeps what it is given, and can be told to refuse.</summary>
/// <typeparam name="T">The batch type.</typeparam>
public sealed class SinkConsumer<T> : IConsumer<T>, IExporter<T>
    where T : TelemetryData
{
    private readonly List<T> _batches = [];
    private readonly object _gate = new();
    private readonly SemaphoreSlim _arrived = new(0);

    /// <summary>When set, every call throws this instead of accepting.</summary>
    public Func<T, Exception?>? Refuse { get; set; }

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities { get; init; } = ConsumerCapabilities.ReadOnly;

    /// <summary>The batches accepted so far.</summary>
    public IReadOnlyList<T> Batches
    {
        get
        {
            lock (_gate)
            {
                return [.. _batches];
            }
        }
    }

    /// <summary>Items accepted so far.</summary>
    public int ItemCount
    {
        get
        {
            lock (_gate)
            {
                int n = 0;
                foreach (var b in _batches)
                {
                    n += b.ItemCount;
                }

                return n;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        if (Refuse?.Invoke(data) is { } error)
        {
            throw error;
        }

        lock (_gate)
        {
            _batches.Add(data);
        }

        _arrived.Release();
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until at least <paramref name="items"/> items arrived or the timeout passes; returns whether they did.</summary>
    public async Task<bool> WaitForItemsAsync(int items, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (ItemCount < items)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await _arrived.WaitAsync(left).ConfigureAwait(false);
        }

        return true;
    }

    /// <inheritdoc />
    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
