namespace Pipeline.Exporters.Helper;

/// <summary>
/// A queue bounded by a total size (requests, items or bytes), with waiting consumers and optionally waiting
/// producers. Closing it refuses new items; consumers still take what is left, then see the end.
/// </summary>
/// <typeparam name="TItem">The queued element.</typeparam>
internal sealed class BoundedQueue<TItem>
{
    private readonly object _gate = new();
    private readonly Queue<(TItem Item, long Size)> _items = new();
    private readonly long _capacity;
    private long _size;
    private bool _closed;
    private TaskCompletionSource? _itemAdded;
    private TaskCompletionSource? _spaceFreed;

    public BoundedQueue(long capacity) => _capacity = capacity;

    public long Capacity => _capacity;

    /// <summary>The current size in sizer units.</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>Adds without waiting.</summary>
    public EnqueueOutcome TryAdd(TItem item, long size)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            if (_closed)
            {
                return EnqueueOutcome.Closed;
            }

            if (!Fits(size))
            {
                return EnqueueOutcome.Full;
            }

            wake = AddLocked(item, size);
        }

        wake?.TrySetResult();
        return EnqueueOutcome.Added;
    }

    /// <summary>Adds even past capacity (a persisted backlog restored at start, which is already stored).</summary>
    public void ForceAdd(TItem item, long size)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            wake = AddLocked(item, size);
        }

        wake?.TrySetResult();
    }

    /// <summary>Adds, waiting for space; returns Closed if the queue closes first.</summary>
    public async ValueTask<EnqueueOutcome> AddAsync(TItem item, long size, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            TaskCompletionSource? wake;
            bool added;
            lock (_gate)
            {
                if (_closed)
                {
                    return EnqueueOutcome.Closed;
                }

                // An item larger than the whole queue is let in alone, or a blocking caller would wait forever.
                if (Fits(size) || _items.Count == 0)
                {
                    wake = AddLocked(item, size);
                    added = true;
                    wait = Task.CompletedTask;
                }
                else
                {
                    wake = null;
                    added = false;
                    wait = (_spaceFreed ??= NewSignal()).Task;
                }
            }

            if (added)
            {
                wake?.TrySetResult();
                return EnqueueOutcome.Added;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes the oldest item, waiting for one; false once the queue is closed and empty.</summary>
    public async ValueTask<(bool Ok, TItem Item)> TakeAsync()
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (TryTakeLocked(out var item, out var freed))
                {
                    freed?.TrySetResult();
                    return (true, item);
                }

                if (_closed)
                {
                    return (false, default!);
                }

                wait = (_itemAdded ??= NewSignal()).Task;
            }

            await wait.ConfigureAwait(false);
        }
    }

    /// <summary>Takes the oldest item if there is one.</summary>
    public bool TryTake(out TItem item)
    {
        TaskCompletionSource? freed;
        bool ok;
        lock (_gate)
        {
            ok = TryTakeLocked(out item, out freed);
        }

        freed?.TrySetResult();
        return ok;
    }

    /// <summary>Refuses new items and wakes every waiter.</summary>
    public void Close()
    {
        TaskCompletionSource? added;
        TaskCompletionSource? freed;
        lock (_gate)
        {
            _closed = true;
            added = _itemAdded;
            freed = _spaceFreed;
            _itemAdded = null;
            _spaceFreed = null;
        }

        added?.TrySetResult();
        freed?.TrySetResult();
    }

    private bool Fits(long size) => _size + size <= _capacity;

    private TaskCompletionSource? AddLocked(TItem item, long size)
    {
        _items.Enqueue((item, size));
        Volatile.Write(ref _size, _size + size);
        var wake = _itemAdded;
        _itemAdded = null;
        return wake;
    }

    private bool TryTakeLocked(out TItem item, out TaskCompletionSource? freed)
    {
        freed = null;
        if (!_items.TryDequeue(out var entry))
        {
            item = default!;
            return false;
        }

        Volatile.Write(ref _size, _size - entry.Size);
        freed = _spaceFreed;
        _spaceFreed = null;
        item = entry.Item;
        return true;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The result of an enqueue.</summary>
internal enum EnqueueOutcome
{
    Added,
    Full,
    Closed,
}
