using Grpc.Core;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.Helper;

/// <summary>
/// The send chain of one exporter and signal, composed once: <c>sending_queue</c> → obsreport → <c>retry_on_failure</c>
/// → <c>timeout</c> → push (exporterhelper's base exporter). Each link is optional.
/// </summary>
/// <remarks>
/// <para>Queue on: <see cref="ConsumeAsync"/> enqueues and returns; a full queue refuses the request (counted as
/// enqueue-failed, logged, and thrown to the caller as a retryable <see cref="ConsumerException"/> so backpressure
/// reaches the receiver), or makes the caller wait when <c>block_on_overflow</c> is set. <c>num_consumers</c> tasks
/// send from the queue. Queue off: the caller runs retry → timeout → push and gets the final error.</para>
/// <para>Shutdown stops accepting, then keeps sending and retrying what is queued until the shutdown token fires;
/// what is still undelivered then is counted as send-failed and logged at ERROR, never silently dropped.</para>
/// <para>With <c>storage</c> set the queue is persistent: each accepted request is appended (encoded OTLP bytes) to the
/// storage extension's client before the caller is answered, and acknowledged there only after it was sent or failed
/// permanently. Start re-queues what a previous run left. Shutdown stops at once and leaves unsent requests on disk
/// for the next run instead of draining or dropping them. A request whose retries run out on a retryable error (an
/// outage longer than <c>max_elapsed_time</c>) is counted as send-failed and logged, then kept on disk and queued again
/// after <c>initial_interval</c>; otelcol drops it. Permanent errors drop it as in otelcol.</para>
/// </remarks>
/// <typeparam name="T">The signal's batch type.</typeparam>
public sealed partial class ExportChain<T>
    where T : TelemetryData
{
    private const int Created = 0;
    private const int Started = 1;
    private const int Stopped = 2;

    private readonly Func<T, CancellationToken, ValueTask> _push;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ExporterObsReport _obs;
    private readonly TimeSpan _timeout;
    private readonly RetryConfig _retry;
    private readonly QueueConfig _queueConfig;
    private readonly BoundedQueue<QueuedRequest>? _queue;
    private readonly CancellationTokenSource _drain = new();
    private readonly ComponentId _id;
    private IStorageClient? _storage;
    private Task[] _consumers = [];
    private long _shutdownDropped;
    private int _state;

    /// <summary>Composes the chain.</summary>
    /// <param name="settings">The exporter's settings (logger, meter, clock).</param>
    /// <param name="timeout">Per-attempt timeout.</param>
    /// <param name="retry">Retry policy.</param>
    /// <param name="queue">Queue settings.</param>
    /// <param name="push">Sends one request. Throws <see cref="PermanentException"/> for errors not worth retrying,
    /// a <see cref="ConsumerException"/> (optionally with <see cref="ConsumerException.RetryAfter"/>) or anything else
    /// for retryable ones.</param>
    public ExportChain(ComponentSettings settings, TimeoutConfig timeout, RetryConfig retry, QueueConfig queue, Func<T, CancellationToken, ValueTask> push)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(timeout);
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(push);
        _push = push;
        _logger = settings.Logger;
        _time = settings.TimeProvider;
        _timeout = timeout.Timeout;
        _retry = retry;
        _queueConfig = queue;
        _id = settings.Id;
        _obs = new ExporterObsReport(settings, SignalOf());
        if (queue.Enabled)
        {
            _queue = new BoundedQueue<QueuedRequest>(queue.QueueSize);
            var q = _queue;
            _obs.ObserveQueue(() => q.Size, queue.QueueSize);
        }
    }

    /// <summary>The counters this chain reports to.</summary>
    public ExporterObsReport ObsReport => _obs;

    /// <summary>Requests held by the persistent queue's storage, sent or not yet acknowledged (0 without storage).</summary>
    internal long PersistedCount => _storage?.PendingCount ?? 0;

    /// <summary>True when <c>sending_queue.storage</c> is set: a completed <see cref="ConsumeAsync"/> means the request
    /// is on disk.</summary>
    public bool IsPersistent => _queue is not null && _queueConfig.Storage is not null;

    /// <summary>The queue's current size in sizer units (0 when the queue is off).</summary>
    public long QueueSize => _queue?.Size ?? 0;

    /// <summary>
    /// Starts the queue consumers. With <c>storage</c>, opens this exporter's store first and queues what it holds; fails
    /// when the extension is missing or does not store.
    /// </summary>
    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (_queue is null)
        {
            Volatile.Write(ref _state, Started);
            return Task.CompletedTask;
        }

        if (Volatile.Read(ref _state) != Created)
        {
            return Task.CompletedTask;
        }

        if (_queueConfig.Storage is { } storage)
        {
            OpenStorage(host, storage);
        }

        if (Interlocked.CompareExchange(ref _state, Started, Created) != Created)
        {
            return Task.CompletedTask;
        }

        var consumers = new Task[_queueConfig.NumConsumers];
        for (int i = 0; i < consumers.Length; i++)
        {
            consumers[i] = Task.Run(ConsumeQueueAsync, CancellationToken.None);
        }

        _consumers = consumers;
        return Task.CompletedTask;
    }

    /// <summary>Hands a batch to the chain (queue, or inline send when the queue is off).</summary>
    public async ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_queue is null)
        {
            await SendAsync(data, cancellationToken, countCancel: true).ConfigureAwait(false);
            return;
        }

        long size = _queueConfig.Sizer switch
        {
            QueueSizer.Items => data.ItemCount,
            QueueSizer.Bytes => data.CalculateSize(),
            _ => 1,
        };
        long sequence = _storage is null ? -1 : Persist(data);
        var request = new QueuedRequest(data, _queueConfig.WaitForResult ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null, sequence);
        EnqueueOutcome outcome;
        if (_queueConfig.BlockOnOverflow)
        {
            try
            {
                outcome = await _queue.AddAsync(request, size, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Forget(sequence);
                Reject(data, "sending queue is full and the caller stopped waiting for space");
                throw;
            }
        }
        else
        {
            outcome = _queue.TryAdd(request, size);
        }

        if (outcome != EnqueueOutcome.Added)
        {
            Forget(sequence);
            string reason = outcome == EnqueueOutcome.Full ? "sending queue is full" : "sending queue is stopped";
            Reject(data, reason);
            throw new ConsumerException(StatusCode.Unavailable, reason);
        }

        if (request.Result is { } result)
        {
            await result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops accepting and drains the queue, retrying as configured until <paramref name="cancellationToken"/> fires;
    /// then counts and logs what could not be delivered.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, Stopped) == Stopped || _queue is null)
        {
            return;
        }

        _queue.Close();
        if (_storage is not null)
        {
            // Persisted requests wait on disk for the next run; draining would only delay shutdown (otelcol #15677).
            await _drain.CancelAsync().ConfigureAwait(false);
        }

        using (cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _drain))
        {
            await Task.WhenAll(_consumers).ConfigureAwait(false);
        }

        // Left behind only when Start never ran, or kept on disk by a persistent queue.
        while (_queue.TryTake(out var left))
        {
            if (left.Sequence >= 0)
            {
                continue;
            }

            Interlocked.Add(ref _shutdownDropped, left.Data.ItemCount);
            left.Result?.TrySetException(new ConsumerException(StatusCode.Unavailable, "exporter shut down before the request was sent"));
        }

        long dropped = Interlocked.Exchange(ref _shutdownDropped, 0);
        if (dropped > 0)
        {
            _obs.SendFailed((int)Math.Min(dropped, int.MaxValue));
            Log.ShutdownDropped(_logger, dropped);
        }

        if (_storage is { } store)
        {
            long stored = store.PendingCount;
            if (stored > 0)
            {
                Log.KeptInStorage(_logger, stored);
            }

            store.Dispose();
        }

    }

    private void OpenStorage(IComponentHost host, ComponentId storage)
    {
        var extension = host.GetExtension(storage);
        if (extension is null)
        {
            throw new InvalidOperationException($"sending_queue::storage: storage extension \"{storage}\" is not configured.");
        }

        if (extension is not IStorageExtension storageExtension)
        {
            throw new InvalidOperationException($"sending_queue::storage: extension \"{storage}\" is not a storage extension.");
        }

        var client = storageExtension.GetClient(ComponentKind.Exporter, _id, SignalOf().ToName());
        var backlog = client.TakePending();
        long restored = 0;
        foreach (var record in backlog)
        {
            T? data = Decode(record.Payload);
            if (data is null)
            {
                Log.UndecodableRecord(_logger, record.Sequence);
                client.Acknowledge(record.Sequence);
                continue;
            }

            long size = _queueConfig.Sizer switch
            {
                QueueSizer.Items => data.ItemCount,
                QueueSizer.Bytes => data.CalculateSize(),
                _ => 1,
            };
            _queue!.ForceAdd(new QueuedRequest(data, null, record.Sequence), size);
            restored++;
        }

        if (restored > 0)
        {
            Log.Restored(_logger, restored);
        }

        _storage = client;
    }

    /// <summary>Writes the request to storage: one byte of signal, then the OTLP request bytes.</summary>
    private long Persist(T data)
    {
        byte[] body = data.ToByteArray();
        byte[] record = new byte[body.Length + 1];
        record[0] = (byte)data.Signal;
        body.CopyTo(record, 1);
        try
        {
            return _storage!.Append(record);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            Reject(data, "could not persist the request: " + e.Message);
            throw new ConsumerException(StatusCode.Unavailable, "sending queue could not persist the request: " + e.Message);
        }
    }

    private void Forget(long sequence)
    {
        if (sequence >= 0)
        {
            _storage?.Acknowledge(sequence);
        }
    }

    private static T? Decode(ReadOnlyMemory<byte> record)
    {
        if (record.Length == 0 || record.Span[0] != (byte)SignalOf())
        {
            return null;
        }

        var body = record[1..];
        try
        {
            TelemetryData data = SignalOf() switch
            {
                Signal.Traces => Traces.FromEncoded(body),
                Signal.Metrics => Metrics.FromEncoded(body),
                _ => Logs.FromEncoded(body),
            };
            return (T)data;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static Signal SignalOf()
    {
        if (typeof(T) == typeof(Traces))
        {
            return Signal.Traces;
        }

        if (typeof(T) == typeof(Metrics))
        {
            return Signal.Metrics;
        }

        if (typeof(T) == typeof(Logs))
        {
            return Signal.Logs;
        }

        throw new NotSupportedException($"No signal for batch type {typeof(T).Name}.");
    }

    private void Reject(T data, string reason)
    {
        _obs.EnqueueFailed(data.ItemCount);
        Log.EnqueueRejected(_logger, reason, data.ItemCount);
    }

    private async Task ConsumeQueueAsync()
    {
        var token = _drain.Token;
        while (true)
        {
            var (ok, request) = await _queue!.TakeAsync().ConfigureAwait(false);
            if (!ok)
            {
                return;
            }

            int items = request.Data.ItemCount;
            if (request.Sequence >= 0 && token.IsCancellationRequested)
            {
                // Shutting down: stays on disk for the next run.
                continue;
            }

            try
            {
                await SendAsync(request.Data, token, countCancel: false).ConfigureAwait(false);
                Forget(request.Sequence);
                request.Result?.TrySetResult();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                if (request.Sequence >= 0)
                {
                    continue;
                }

                Interlocked.Add(ref _shutdownDropped, items);
                request.Result?.TrySetException(new ConsumerException(StatusCode.Unavailable, "exporter shut down before the request was sent"));
            }
            catch (Exception e) when (request.Sequence >= 0 && _retry.Enabled && e is not PermanentException)
            {
                // Retries ran out on a retryable error (a long outage). otelcol drops the request here; a persistent
                // queue keeps it on disk and puts it back at the end after a pause, so an outage loses nothing. The
                // failed round is counted in otelcol_exporter_send_failed_* (by SendAsync) and logged.
                Log.KeptForRetry(_logger, e.Message, items);
                if (await PauseAsync(token).ConfigureAwait(false))
                {
                    _queue!.ForceAdd(request, SizeOf(request.Data));
                }
            }
            catch (Exception e)
            {
                Log.DroppingData(_logger, e.Message, items);
                Forget(request.Sequence);
                request.Result?.TrySetException(e);
            }
        }
    }

    // Waits initial_interval before a kept request goes back in the queue; false when shutdown came first (the request
    // then simply stays on disk for the next run).
    private async Task<bool> PauseAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(_retry.InitialInterval, _time, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return false;
        }
    }

    private long SizeOf(T data) => _queueConfig.Sizer switch
    {
        QueueSizer.Items => data.ItemCount,
        QueueSizer.Bytes => data.CalculateSize(),
        _ => 1,
    };

    /// <summary>obsreport → retry.</summary>
    private async ValueTask SendAsync(T data, CancellationToken cancellationToken, bool countCancel)
    {
        int items = data.ItemCount;
        try
        {
            await RetryAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !countCancel)
        {
            throw;
        }
        catch (Exception)
        {
            _obs.SendFailed(items);
            throw;
        }

        _obs.Sent(items);
    }

    /// <summary>retry → timeout.</summary>
    private async ValueTask RetryAsync(T data, CancellationToken cancellationToken)
    {
        if (!_retry.Enabled)
        {
            await AttemptAsync(data, cancellationToken).ConfigureAwait(false);
            return;
        }

        long start = _time.GetTimestamp();
        var backoff = new ExponentialBackoff(_retry);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Exception error;
            try
            {
                await AttemptAsync(data, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw;
            }
            catch (PermanentException e)
            {
                throw new PermanentException("not retryable error: " + e.Message, e);
            }
            catch (Exception e)
            {
                error = e;
            }

            var delay = backoff.Next(Random.Shared.NextDouble());
            if (_retry.MaxElapsedTime > TimeSpan.Zero && _time.GetElapsedTime(start) + delay > _retry.MaxElapsedTime)
            {
                var code = error is ConsumerException ce ? ce.Code : StatusCode.Unavailable;
                throw new ConsumerException(code, "no more retries left: " + error.Message);
            }

            if (error is ConsumerException { RetryAfter: { } throttle } && throttle > delay)
            {
                delay = throttle;
            }

            Log.RetryScheduled(_logger, error.Message, GoDuration.Format(delay));
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>timeout → push.</summary>
    private async ValueTask AttemptAsync(T data, CancellationToken cancellationToken)
    {
        if (_timeout <= TimeSpan.Zero)
        {
            await _push(data, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _push(data, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested && e is not PermanentException)
        {
            throw new ConsumerException(StatusCode.DeadlineExceeded, $"request timed out after {GoDuration.Format(_timeout)}: {e.Message}");
        }
    }

    /// <param name="Data">The batch.</param>
    /// <param name="Result">Completed when <c>wait_for_result</c> is on.</param>
    /// <param name="Sequence">The storage record to acknowledge after sending, or -1 in memory.</param>
    private sealed record QueuedRequest(T Data, TaskCompletionSource? Result, long Sequence);

    private static partial class Log
    {
        [LoggerMessage(EventId = HelperEventIds.EnqueueRejected, Level = LogLevel.Error, Message = "Exporting failed. Rejecting data. (error: {Error}, rejected_items: {RejectedItems})")]
        public static partial void EnqueueRejected(ILogger logger, string error, int rejectedItems);

        [LoggerMessage(EventId = HelperEventIds.RetryScheduled, Level = LogLevel.Information, Message = "Exporting failed. Will retry the request after interval. (error: {Error}, interval: {Interval})")]
        public static partial void RetryScheduled(ILogger logger, string error, string interval);

        [LoggerMessage(EventId = HelperEventIds.DroppingData, Level = LogLevel.Error, Message = "Exporting failed. Dropping data. (error: {Error}, dropped_items: {DroppedItems})")]
        public static partial void DroppingData(ILogger logger, string error, int droppedItems);

        [LoggerMessage(EventId = HelperEventIds.KeptForRetry, Level = LogLevel.Error, Message = "Exporting failed. Retries exhausted; keeping the request in the persistent queue to retry later. (error: {Error}, items: {Items})")]
        public static partial void KeptForRetry(ILogger logger, string error, int items);

        [LoggerMessage(EventId = HelperEventIds.ShutdownDropped, Level = LogLevel.Error, Message = "Shutdown deadline passed before the sending queue drained. Dropping data. (dropped_items: {DroppedItems})")]
        public static partial void ShutdownDropped(ILogger logger, long droppedItems);

        [LoggerMessage(EventId = HelperEventIds.KeptInStorage, Level = LogLevel.Information, Message = "Persistent sending queue keeps unsent requests for the next start. (requests: {Requests})")]
        public static partial void KeptInStorage(ILogger logger, long requests);

        [LoggerMessage(EventId = HelperEventIds.Restored, Level = LogLevel.Information, Message = "Persistent sending queue restored requests left by the previous run. (requests: {Requests})")]
        public static partial void Restored(ILogger logger, long requests);

        [LoggerMessage(EventId = HelperEventIds.UndecodableRecord, Level = LogLevel.Error, Message = "Persistent sending queue holds a record that is not a request of this signal. Dropping it. (sequence: {Sequence})")]
        public static partial void UndecodableRecord(ILogger logger, long sequence);
    }
}
