using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Batch;

/// <summary>
/// Groups items into batches: sends when <c>send_batch_size</c> items are pending (the sender whose request completes
/// the batch awaits the send, so a slow exporter slows senders), when <c>timeout</c> has passed since the batch
/// started, and on shutdown. Batches above <c>send_batch_max_size</c> are split. Items pending or in flight are
/// bounded by <see cref="MaxOutstandingItems"/>; above it requests are refused with a retryable Unavailable.
/// A refused send is counted and logged at ERROR, and the sender that triggered it gets the error.
/// </summary>
/// <remarks>
/// When the pipeline is durable (<see cref="ComponentSettings.DurableDownstream"/>: an exporter behind it has a
/// persistent sending queue) the processor waits for delivery: a caller's ConsumeAsync completes only once every
/// batch holding its items was accepted downstream, and fails with the downstream's error when one was not. Callers
/// that arrive within one batch share it. Otherwise (otelcol's behaviour) a request is answered as soon as it is
/// pending, and a crash loses what is pending (otelcol #12711).
/// </remarks>
/// <typeparam name="T">The batch type.</typeparam>
internal sealed partial class BatchProcessor<T> : IProcessor<T>
    where T : TelemetryData
{
    /// <summary>The outstanding-items bound is this many times the larger of the two sizes…</summary>
    internal const long OutstandingBatches = 4;

    /// <summary>…and at least this many items, so small batch sizes still admit a few concurrent requests.</summary>
    internal const long MinOutstandingItems = 8192;

    private readonly IConsumer<T> _next;
    private readonly BatchOps<T> _ops;
    private readonly ProcessorObsReport _obs;
    private readonly BatchTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly long _sendBatchSize;
    private readonly long _sendBatchMaxSize;
    private readonly bool _waitForDelivery;
    private readonly object _gate = new();
    private readonly List<T> _pending = [];
    private readonly Queue<Waiter> _waiters = new();
    private long _pendingItems;
    private long _outstandingItems;
    private ITimer? _timer;
    private bool _timerArmed;
    private bool _stopped;
    private TaskCompletionSource? _drained;

    public BatchProcessor(ComponentSettings settings, BatchConfig config, IConsumer<T> next, BatchOps<T> ops)
    {
        _next = next;
        _ops = ops;
        _obs = new ProcessorObsReport(settings, ops.Signal);
        _telemetry = new BatchTelemetry(settings, ops.Signal);
        _logger = settings.Logger;
        _time = settings.TimeProvider;
        _timeout = config.Timeout;
        _sendBatchSize = config.SendBatchSize;
        _sendBatchMaxSize = config.SendBatchMaxSize;
        _waitForDelivery = settings.DurableDownstream;
        MaxOutstandingItems = Math.Max(OutstandingBatches * Math.Max(_sendBatchSize, _sendBatchMaxSize), MinOutstandingItems);
    }

    /// <summary>Items pending or in flight above which new requests are refused (one request is always admitted
    /// when nothing is outstanding, whatever its size).</summary>
    public long MaxOutstandingItems { get; }

    /// <summary>True when callers are answered only once their items were accepted downstream.</summary>
    public bool WaitsForDelivery => _waitForDelivery;

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    /// <summary>Items waiting for a trigger (for tests).</summary>
    internal long PendingItems
    {
        get
        {
            lock (_gate)
            {
                return _pendingItems;
            }
        }
    }

    /// <inheritdoc />
    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        int items = data.ItemCount;
        _obs.Incoming(items);
        if (items == 0)
        {
            return ValueTask.CompletedTask;
        }

        List<Cut>? ready;
        Waiter? waiter = null;
        lock (_gate)
        {
            if (_stopped)
            {
                ready = [new Cut(data, items, null)];
                _outstandingItems += items;
            }
            else
            {
                if (_outstandingItems > 0 && _outstandingItems + items > MaxOutstandingItems)
                {
                    throw new ConsumerException(
                        StatusCode.Unavailable,
                        string.Create(CultureInfo.InvariantCulture, $"The batch processor already holds {_outstandingItems} items pending or in flight (limit {MaxOutstandingItems}); retry later."));
                }

                _outstandingItems += items;
                _pending.Add(data);
                _pendingItems += items;
                if (_waitForDelivery)
                {
                    waiter = new Waiter(items);
                    _waiters.Enqueue(waiter);
                }

                ready = TakeReady(all: false);
                UpdateTimer(sent: ready is not null);
            }
        }

        if (waiter is not null)
        {
            return new ValueTask(WaitForDeliveryAsync(ready, waiter, cancellationToken));
        }

        return ready is null ? ValueTask.CompletedTask : new ValueTask(SendAllAsync(ready, BatchTrigger.Size, propagate: true, CancellationToken.None));
    }

    /// <inheritdoc />
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        List<Cut>? ready;
        lock (_gate)
        {
            _stopped = true;
            ready = TakeReady(all: true);
            _timer?.Dispose();
            _timer = null;
            _timerArmed = false;
        }

        if (ready is not null)
        {
            await SendAllAsync(ready, BatchTrigger.Shutdown, propagate: false, cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            Task drained;
            long left;
            lock (_gate)
            {
                left = _outstandingItems;
                if (left == 0)
                {
                    return;
                }

                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }

            try
            {
                await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Log.ShutdownIncomplete(_logger, left, _ops.Signal.ItemName());
                return;
            }
        }
    }

    // The caller whose request completed a batch sends it; then every caller waits for the batches holding its items.
    private async Task WaitForDeliveryAsync(List<Cut>? ready, Waiter waiter, CancellationToken cancellationToken)
    {
        if (ready is not null)
        {
            await SendAllAsync(ready, BatchTrigger.Size, propagate: false, CancellationToken.None).ConfigureAwait(false);
        }

        await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Called under _gate. Cuts what is due: everything when asked, else batches while send_batch_size is reached
    // (every item when there is no timeout), each at most send_batch_max_size items; the rest stays pending.
    private List<Cut>? TakeReady(bool all)
    {
        List<Cut>? ready = null;
        while (_pendingItems > 0 && (all || _timeout == TimeSpan.Zero || _pendingItems >= _sendBatchSize))
        {
            var merged = _pending.Count == 1 ? _pending[0] : _ops.Concat(_pending);
            _pending.Clear();
            ready ??= [];
            if (_sendBatchMaxSize > 0 && _pendingItems > _sendBatchMaxSize)
            {
                var (head, rest) = _ops.Split(merged, (int)_sendBatchMaxSize);
                ready.Add(new Cut(head, (int)_sendBatchMaxSize, TakeWaiters(_sendBatchMaxSize)));
                _pending.Add(rest);
                _pendingItems -= _sendBatchMaxSize;
            }
            else
            {
                ready.Add(new Cut(merged, (int)_pendingItems, TakeWaiters(_pendingItems)));
                _pendingItems = 0;
            }
        }

        return ready;
    }

    // Called under _gate. The callers owning the first `items` pending items (in arrival order, as batches are cut
    // from the front); a caller whose items straddle a split waits for both batches.
    private List<Waiter>? TakeWaiters(long items)
    {
        List<Waiter>? holders = null;
        while (items > 0 && _waiters.TryPeek(out var waiter))
        {
            long take = Math.Min(waiter.Remaining, items);
            waiter.Remaining -= take;
            waiter.Batches++;
            items -= take;
            (holders ??= []).Add(waiter);
            if (waiter.Remaining == 0)
            {
                _waiters.Dequeue();
            }
        }

        return holders;
    }

    // The batch holding the waiters' items was handed on (error null) or refused.
    private void Finish(List<Waiter> holders, Exception? error)
    {
        foreach (var waiter in holders)
        {
            bool done;
            lock (_gate)
            {
                waiter.Error ??= error;
                done = --waiter.Batches == 0 && waiter.Remaining == 0;
            }

            if (done)
            {
                waiter.Complete();
            }
        }
    }

    // Called under _gate. The timer runs while items are pending and restarts after each size-triggered send.
    private void UpdateTimer(bool sent)
    {
        if (_timeout == TimeSpan.Zero)
        {
            return;
        }

        if (_pendingItems == 0)
        {
            if (_timerArmed)
            {
                _timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timerArmed = false;
            }

            return;
        }

        if (sent || !_timerArmed)
        {
            _timer ??= _time.CreateTimer(static state => ((BatchProcessor<T>)state!).OnTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
            _timerArmed = true;
        }
    }

    private void OnTimeout()
    {
        List<Cut>? ready;
        lock (_gate)
        {
            _timerArmed = false;
            if (_stopped)
            {
                return;
            }

            ready = TakeReady(all: true);
        }

        if (ready is not null)
        {
            // Never throws (propagate: false); tracked through _outstandingItems so shutdown waits for it.
            _ = SendAllAsync(ready, BatchTrigger.Timeout, propagate: false, CancellationToken.None);
        }
    }

    private async Task SendAllAsync(List<Cut> ready, BatchTrigger trigger, bool propagate, CancellationToken cancellationToken)
    {
        Exception? first = null;
        foreach (var (batch, items, holders) in ready)
        {
            Exception? error = null;
            try
            {
                await _next.ConsumeAsync(batch, cancellationToken).ConfigureAwait(false);
                _obs.Outgoing(items);
                _telemetry.Sent(items, trigger);
            }
            catch (Exception ex)
            {
                _telemetry.Failed(items);
                Log.SendFailed(_logger, items, _ops.Signal.ItemName(), TriggerName(trigger), ex);
                first ??= ex;
                error = ex;
            }
            finally
            {
                Release(items);
            }

            if (holders is not null)
            {
                Finish(holders, error);
            }
        }

        if (propagate && first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    private void Release(int items)
    {
        lock (_gate)
        {
            _outstandingItems -= items;
            if (_outstandingItems == 0 && _drained is not null)
            {
                _drained.TrySetResult();
                _drained = null;
            }
        }
    }

    private static string TriggerName(BatchTrigger trigger) => trigger switch
    {
        BatchTrigger.Size => "size",
        BatchTrigger.Timeout => "timeout",
        _ => "shutdown",
    };

    /// <summary>A batch cut from the pending items, with the callers waiting for it (null when nobody waits).</summary>
    private readonly record struct Cut(T Batch, int Items, List<Waiter>? Holders);

    /// <summary>One caller waiting for delivery. Mutable fields change under <c>_gate</c>.</summary>
    private sealed class Waiter(long items)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Items of this caller still pending (not cut into a batch yet).</summary>
        public long Remaining { get; set; } = items;

        /// <summary>Cut batches holding its items that have not finished.</summary>
        public int Batches { get; set; }

        /// <summary>The first refusal of a batch holding its items.</summary>
        public Exception? Error { get; set; }

        public Task Task => _done.Task;

        public void Complete()
        {
            if (Error is null)
            {
                _done.TrySetResult();
            }
            else
            {
                _done.TrySetException(Error);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.SendFailed, Level = LogLevel.Error, Message = "Sending a batch of {Items} {ItemName} to the next consumer failed ({Trigger} trigger).")]
        public static partial void SendFailed(ILogger logger, int items, string itemName, string trigger, Exception exception);

        [LoggerMessage(EventId = EventIds.ShutdownIncomplete, Level = LogLevel.Error, Message = "Shutdown ended before {Items} {ItemName} in flight were delivered.")]
        public static partial void ShutdownIncomplete(ILogger logger, long items, string itemName);
    }
}
