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
    private readonly object _gate = new();
    private readonly List<T> _pending = [];
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
        MaxOutstandingItems = Math.Max(OutstandingBatches * Math.Max(_sendBatchSize, _sendBatchMaxSize), MinOutstandingItems);
    }

    /// <summary>Items pending or in flight above which new requests are refused (one request is always admitted
    /// when nothing is outstanding, whatever its size).</summary>
    public long MaxOutstandingItems { get; }

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

        List<(T Batch, int Items)>? ready;
        lock (_gate)
        {
            if (_stopped)
            {
                ready = [(data, items)];
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
                ready = TakeReady(all: false);
                UpdateTimer(sent: ready is not null);
            }
        }

        return ready is null ? ValueTask.CompletedTask : new ValueTask(SendAllAsync(ready, BatchTrigger.Size, propagate: true, CancellationToken.None));
    }

    /// <inheritdoc />
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        List<(T Batch, int Items)>? ready;
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

    // Called under _gate. Cuts what is due: everything when asked, else batches while send_batch_size is reached
    // (every item when there is no timeout), each at most send_batch_max_size items; the rest stays pending.
    private List<(T Batch, int Items)>? TakeReady(bool all)
    {
        List<(T Batch, int Items)>? ready = null;
        while (_pendingItems > 0 && (all || _timeout == TimeSpan.Zero || _pendingItems >= _sendBatchSize))
        {
            var merged = _pending.Count == 1 ? _pending[0] : _ops.Concat(_pending);
            _pending.Clear();
            ready ??= [];
            if (_sendBatchMaxSize > 0 && _pendingItems > _sendBatchMaxSize)
            {
                var (head, rest) = _ops.Split(merged, (int)_sendBatchMaxSize);
                ready.Add((head, (int)_sendBatchMaxSize));
                _pending.Add(rest);
                _pendingItems -= _sendBatchMaxSize;
            }
            else
            {
                ready.Add((merged, (int)_pendingItems));
                _pendingItems = 0;
            }
        }

        return ready;
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
        List<(T Batch, int Items)>? ready;
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

    private async Task SendAllAsync(List<(T Batch, int Items)> ready, BatchTrigger trigger, bool propagate, CancellationToken cancellationToken)
    {
        Exception? first = null;
        foreach (var (batch, items) in ready)
        {
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
            }
            finally
            {
                Release(items);
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

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.SendFailed, Level = LogLevel.Error, Message = "Sending a batch of {Items} {ItemName} to the next consumer failed ({Trigger} trigger).")]
        public static partial void SendFailed(ILogger logger, int items, string itemName, string trigger, Exception exception);

        [LoggerMessage(EventId = EventIds.ShutdownIncomplete, Level = LogLevel.Error, Message = "Shutdown ended before {Items} {ItemName} in flight were delivered.")]
        public static partial void ShutdownIncomplete(ILogger logger, long items, string itemName);
    }
}
