using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipeline.Abstractions;
using Pipeline.Receivers.Ebpf.Discovery;
using Pipeline.Receivers.Ebpf.Events;
using Pipeline.Receivers.Ebpf.Loader;
using Pipeline.Receivers.Ebpf.Tracking;
using Pipeline.Telemetry;

namespace Pipeline.Receivers.Ebpf;

/// <summary>
/// The <c>ebpf</c> receiver. Start probes the machine, loads and attaches the BPF programs, starts discovery and the
/// ring-buffer thread; a processing task feeds every event to the user side (<see cref="TrafficProcessor"/>) and
/// pushes spans every <c>batch_timeout</c> and metrics every <c>metrics_interval</c>. Shutdown drains and frees
/// every kernel object.
/// </summary>
internal sealed partial class EbpfReceiver : IReceiver
{
    /// <summary>How often the processing loop wakes when no events arrive (bounds flush and scan latency).</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>After a pass that found fewer than <see cref="CoalesceBelow"/> events the loop waits this long before
    /// the next, so a trickle of events is handled in batches: waking per event cost a thread-pool hand-off and the
    /// worker's spin each time (a quarter of the collector's CPU at 2,000 requests/s). The channel holds
    /// <c>channel_capacity</c> events meanwhile (65,536 by default: 6.5 million events/s before one is dropped).</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(10);

    private const int CoalesceBelow = 4096;

    /// <summary>A pass stops early once this many spans are complete, so they are pushed in requests of a bounded size
    /// (a pass over a backlog of 65,536 events of a keep-alive server completes 32,768 spans: one request as large as
    /// the batch processor's whole allowance, which it refuses while it holds anything).</summary>
    private const int MaxSpansPerPush = 8192;

    /// <summary>First and longest wait before pushing spans again after a retryable refusal.</summary>
    private static readonly TimeSpan RetryFirst = TimeSpan.FromMilliseconds(5);

    private static readonly TimeSpan RetryMax = TimeSpan.FromMilliseconds(200);

    /// <summary>How long shutdown keeps draining and retrying before it drops what the pipeline still refuses.</summary>
    private static readonly TimeSpan ShutdownRetryLimit = TimeSpan.FromSeconds(5);

    /// <summary>How often the ports this process listens on are re-read during the first <see cref="OwnPortsSettle"/>
    /// (receivers that start after us); the kernel checks the set on every chunk, so connections made before a refresh
    /// are covered from then on.</summary>
    private static readonly TimeSpan OwnPortsRefresh = TimeSpan.FromSeconds(1);

    /// <summary>After this long the collector's listeners are settled and the ports are re-read every
    /// <see cref="OwnPortsRefreshSettled"/> instead: each read walks /proc/self/fd and the socket table, and at one per
    /// second it was a fifth of the idle collector's CPU (BENCHMARKS.md, eBPF run 6).</summary>
    private static readonly TimeSpan OwnPortsSettle = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan OwnPortsRefreshSettled = TimeSpan.FromSeconds(10);

    private readonly ComponentSettings _settings;
    private readonly EbpfReceiverConfig _config;
    private readonly Action _onShutdown;
    private readonly ILogger _logger;
    private readonly ReceiverObsReport _obs;
    private readonly TimeProvider _time;
    private SocketTracer? _tracer;
    private RingBufferReader? _reader;
    private Channel<SocketEvent>? _channel;
    private readonly SocketEventPool _events = new();
    private ProcessDiscovery? _discovery;
    private OwnTraffic? _ownTraffic;
    private TrafficProcessor? _processor;
    private Task? _loop;
    private CancellationTokenSource? _stopping;
    private volatile EbpfStats _stats = EbpfStats.Empty;
    /// <summary>Processes to re-examine (they exec'd, or a socket of theirs entered LISTEN), from the processing loop
    /// and the ring-buffer thread. Each is checked alone: a full /proc scan per event cost most of the collector's CPU
    /// on a host that runs many short programs (every exec on the host is an event).</summary>
    private readonly ConcurrentQueue<uint> _checks = new();
    private int _started;

    public EbpfReceiver(ComponentSettings settings, EbpfReceiverConfig config, Action? onShutdown = null)
    {
        _settings = settings;
        _config = config;
        _onShutdown = onShutdown ?? (() => { });
        _logger = settings.Logger;
        _time = settings.TimeProvider;
        _obs = new ReceiverObsReport(settings, "ebpf");
        CreateSelfMetrics(settings.Meter);
    }

    /// <summary>Where spans go (null when no traces pipeline uses this receiver).</summary>
    public IConsumer<Traces>? Traces { get; set; }

    /// <summary>Where RED metrics go (null when no metrics pipeline uses this receiver).</summary>
    public IConsumer<Metrics>? Metrics { get; set; }

    /// <summary>The feature probe (tests point it at missing files).</summary>
    internal FeatureProbe Probe { get; init; } = new();

    /// <summary>The latest counters (tests set a snapshot to check what the self-metrics report).</summary>
    internal EbpfStats Stats
    {
        get => _stats;
        set => _stats = value;
    }

    /// <summary>The loaded tracer (tests inspect the kernel maps), or null before start.</summary>
    internal SocketTracer? Tracer => _tracer;

    /// <summary>Discovery (tests), or null before start.</summary>
    internal ProcessDiscovery? Discovery => _discovery;

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return Task.CompletedTask;
        }

        string? missing = Probe.FindMissing();
        if (missing is not null)
        {
            throw new InvalidOperationException(missing);
        }

        var tuning = _config.Ebpf;
        bool mounted = false;
        string? traceFsProblem = tuning.AttachMode == AttachModes.RawTracepoint ? null : TraceFs.Ensure(out mounted);
        if (mounted)
        {
            Log.TraceFsMounted(_logger);
        }

        LibbpfLog.Install(_logger);
        uint self = (uint)Environment.ProcessId;
        var mode = AttachModes.Choose(tuning.AttachMode, traceFsProblem);
        var options = new TracerOptions(self, (uint)tuning.CaptureSize, (uint)tuning.RingbufSize, (ulong)tuning.EffectiveWakeupBytes, mode);
        try
        {
            try
            {
                _tracer = SocketTracer.Load(options);
            }
            catch (Native.BpfException e) when (AttachModes.ShouldFallBack(tuning.AttachMode, mode, e))
            {
                traceFsProblem = e.Message;
                _tracer = SocketTracer.Load(options with { Mode = AttachMode.RawTracepoint });
            }
        }
        catch (Native.BpfException e)
        {
            throw new InvalidOperationException("The ebpf receiver could not load its BPF programs: " + e.Message, e);
        }

        if (_tracer.Mode == AttachMode.RawTracepoint)
        {
            if (traceFsProblem is null)
            {
                Log.RawTracepointsConfigured(_logger);
            }
            else
            {
                Log.RawTracepointsFallback(_logger, traceFsProblem);
            }
        }
        else
        {
            Log.TracepointsAttached(_logger);
        }

        try
        {
            var proc = new ProcFs();
            _discovery = new ProcessDiscovery(_config.Discovery, proc, new TracerPidFilter(_tracer), self);
            _processor = new TrafficProcessor(new TrafficProcessorOptions
            {
                Routes = _config.Routes,
                TimeProvider = _time,
                ProcessResolver = new DiscoveryProcessResolver(_discovery, proc),
                OwnPid = (int)self,
            });
            _channel = Channel.CreateBounded<SocketEvent>(new BoundedChannelOptions(tuning.ChannelCapacity)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            // 2 ms of coalescing holds at most ~200 KB of records at 100 MB/s: only for rings of 1 MiB and more.
            int coalesceMs = tuning.RingbufSize >= 1 << 20 ? 2 : 0;
            _reader = new RingBufferReader(_tracer.EventsFd, _channel.Writer, (pid, _) => _checks.Enqueue(pid), _events, coalesceMs);
            _ownTraffic = new OwnTraffic(self)
            {
                Configured = host is ICollectorEndpoints endpoints
                    ? OwnTraffic.FromEndpoints(endpoints.ListenEndpoints, endpoints.DestinationEndpoints)
                    : new HashSet<ushort>(),
            };
            RefreshOwnPorts();
            _discovery.Scan();
            _reader.Start();
            _stopping = new CancellationTokenSource();
            _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
            Log.Started(_logger, _tracer.AttachedPrograms.Count, _discovery.TracedCount, tuning.CaptureSize, tuning.RingbufSize);
        }
        catch
        {
            Free();
            throw;
        }

        return Task.CompletedTask;
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 2) != 1)
        {
            _onShutdown();
            return;
        }

        // Refusals are retried during shutdown too, but only for so long: a pipeline that keeps refusing must not hold
        // the process up. One deadline serves the loop's drain and the final push.
        _stopping?.CancelAfter(ShutdownRetryLimit);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping?.Token ?? CancellationToken.None);
        try
        {
            // Stop reading first (with a final drain into the channel), then let the loop drain the channel.
            _reader?.Stop();
            _channel?.Writer.TryComplete();
            if (_loop is not null)
            {
                try
                {
                    await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _stopping?.Cancel();
                }
            }

            if (_processor is not null && (_loop?.IsCompletedSuccessfully ?? false))
            {
                try
                {
                    await FlushSpansAsync(bounded.Token).ConfigureAwait(false);
                    await FlushMetricsAsync(bounded.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The retry limit passed: what was refused is counted and logged; shutdown goes on.
                }
            }

            Snapshot();
            var s = _stats;
            Log.Stopped(_logger, s.EventsReceived, s.RingbufWriteFailures, s.ChannelDropped, s.TotalParseErrors, s.Malformed, s.ActiveConnections, s.TracedProcesses);
        }
        finally
        {
            Free();
            _onShutdown();
        }
    }

    private void Free()
    {
        _discovery?.Clear();
        _reader?.Dispose();
        _reader = null;
        _tracer?.Dispose();
        _tracer = null;
        _stopping?.Dispose();
        _stopping = null;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var reader = _channel!.Reader;
        var now = _time.GetUtcNow();
        var nextScan = now + _config.Discovery.PollInterval;
        var nextSpans = now + _config.Ebpf.BatchTimeout;
        var nextMetrics = now + _config.Ebpf.MetricsInterval;
        var nextOwnPorts = now + OwnPortsRefresh;
        var ownPortsSettled = now + OwnPortsSettle;
        Task<bool>? wait = null;
        while (!stopping.IsCancellationRequested)
        {
            bool more;
            try
            {
                // One pending wait at a time: an abandoned WaitToReadAsync stays registered until data arrives.
                wait ??= reader.WaitToReadAsync(stopping).AsTask();
                if (!wait.IsCompleted)
                {
                    await Task.WhenAny(wait, Task.Delay(Tick, _time, stopping)).ConfigureAwait(false);
                }

                more = !wait.IsCompleted || wait.Result;
                if (wait.IsCompleted)
                {
                    wait = null;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            int handled = 0;
            while (handled < 65536 && _processor!.CompletedSinceTake < MaxSpansPerPush && reader.TryRead(out var e))
            {
                Dispatch(e);
                _events.Return(e); // handled: its bytes were parsed or copied
                handled++;
            }

            now = _time.GetUtcNow();
            if (now >= nextOwnPorts)
            {
                RefreshOwnPorts();
                nextOwnPorts = now + (now < ownPortsSettled ? OwnPortsRefresh : OwnPortsRefreshSettled);
            }

            if (now >= nextScan)
            {
                _checks.Clear(); // the full scan covers them
                RunDiscovery();
                nextScan = now + _config.Discovery.PollInterval;
            }
            else if (!_checks.IsEmpty)
            {
                CheckProcesses();
            }

            if (now >= nextSpans)
            {
                await FlushSpansAsync(stopping).ConfigureAwait(false);
                nextSpans = now + _config.Ebpf.BatchTimeout;
            }
            else if (_processor!.CompletedSinceTake >= _config.Ebpf.BatchLength)
            {
                // A batch is ready: pushing it now keeps completed spans from piling up (and ageing into the GC's
                // older generations) until the timeout.
                await FlushSpansAsync(stopping, periodic: false).ConfigureAwait(false);
            }

            if (now >= nextMetrics)
            {
                await FlushMetricsAsync(stopping).ConfigureAwait(false);
                nextMetrics = now + _config.Ebpf.MetricsInterval;
            }

            Snapshot();
            if (!more && !reader.TryPeek(out _))
            {
                return; // completed and drained
            }

            if (more && handled > 0 && handled < CoalesceBelow)
            {
                try
                {
                    await Task.Delay(Coalesce, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Dispatch(SocketEvent e)
    {
        _processor!.Handle(e);
        switch (e.Kind)
        {
            case SocketEventKind.ProcessExec:
                _checks.Enqueue(e.Tgid);
                break;
            case SocketEventKind.ProcessExit when e.Tid == e.Tgid:
                _discovery!.OnExit(e.Tgid);
                break;
            case SocketEventKind.ProcessFork:
                _discovery!.OnFork(e.Tgid, e.Tid);
                break;
        }
    }

    /// <summary>Keeps the kernel's excluded-port set equal to the collector's own ports (never our own OTLP traffic).</summary>
    private void RefreshOwnPorts()
    {
        try
        {
            var ports = _ownTraffic!.Ports();
            if (_tracer!.SetExcludedPorts(ports))
            {
                var sorted = new List<ushort>(ports);
                sorted.Sort();
                Log.OwnPortsExcluded(_logger, string.Join(", ", sorted));
            }
        }
        catch (Native.BpfException e)
        {
            Log.OwnPortsFailed(_logger, e);
        }
    }

    private void RunDiscovery()
    {
        try
        {
            var added = _discovery!.Scan();
            if (added.Count > 0)
            {
                Log.ProcessesAdded(_logger, added.Count, _discovery.TracedCount);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Native.BpfException)
        {
            Log.DiscoveryFailed(_logger, e);
        }
    }

    private void CheckProcesses()
    {
        // An exec storm repeats pids rarely, but a LISTEN burst (a server opening several ports) does: check each once.
        var pids = new HashSet<uint>();
        while (_checks.TryDequeue(out uint pid))
        {
            pids.Add(pid);
        }

        int added = 0;
        try
        {
            foreach (uint pid in pids)
            {
                added += _discovery!.Check(pid) ? 1 : 0;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Native.BpfException)
        {
            Log.DiscoveryFailed(_logger, e);
        }

        if (added > 0)
        {
            Log.ProcessesAdded(_logger, added, _discovery!.TracedCount);
        }
    }

    private async Task FlushSpansAsync(CancellationToken cancellationToken, bool periodic = true)
    {
        var spans = _processor!.TakeSpans(periodic);
        if (spans is null || Traces is null)
        {
            return;
        }

        // A refusal that is not permanent (a full batch processor or sending queue, the memory limiter: a
        // ConsumerException, where otelcol's consumererror.IsPermanent is false) is back-pressure: the spans are kept and
        // pushed again, while the channel and the ring buffer hold new events (and count what they cannot hold).
        // Permanent and unexpected errors, and shutdown, drop them.
        int count = spans.ItemCount;
        var wait = RetryFirst;
        Exception error;
        while (true)
        {
            ConsumerException refusal;
            try
            {
                await Traces.ConsumeAsync(spans, cancellationToken).ConfigureAwait(false);
                _obs.Accepted(Signal.Traces, count);
                return;
            }
            catch (ConsumerException e) when (!cancellationToken.IsCancellationRequested)
            {
                refusal = e;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                error = e;
                break;
            }

            error = refusal;
            Log.ConsumeRetrying(_logger, count, refusal.Message);
            try
            {
                await Task.Delay(refusal.RetryAfter is { } hint && hint > TimeSpan.Zero && hint < RetryMax ? hint : wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, RetryMax.Ticks));
        }

        _obs.Refused(Signal.Traces, count);
        Log.ConsumeFailed(_logger, "spans", count, error);
    }

    private async Task FlushMetricsAsync(CancellationToken cancellationToken)
    {
        var metrics = _processor!.CollectMetrics();
        if (metrics is null || Metrics is null)
        {
            return;
        }

        int count = metrics.ItemCount;
        try
        {
            await Metrics.ConsumeAsync(metrics, cancellationToken).ConfigureAwait(false);
            _obs.Accepted(Signal.Metrics, count);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _obs.Refused(Signal.Metrics, count);
            Log.ConsumeFailed(_logger, "metric points", count, e);
        }
    }

    /// <summary>Copies the counters into an immutable snapshot (on the processing thread, or after it ended).</summary>
    private void Snapshot()
    {
        ulong[] kernel = _tracer?.ReadStats() ?? new ulong[EventKinds.StatCount];
        var processorStats = _processor?.Stats;
        _stats = new EbpfStats(
            _reader?.Received ?? _stats.EventsReceived,
            (long)kernel[EventKinds.StatRingbufFail],
            _reader?.Dropped ?? _stats.ChannelDropped,
            _reader?.Malformed ?? _stats.Malformed,
            processorStats is null ? _stats.ParseErrors : new Dictionary<string, long>(processorStats.ParseErrors),
            processorStats?.ActiveConnections ?? 0,
            _discovery?.TracedCount ?? 0,
            (long)kernel[EventKinds.StatTruncated]);
    }

    /// <summary>
    /// The receiver's own counters on the collector's meter, so /metrics shows them next to otelcol's: names follow
    /// otelcol's component-metric pattern (<c>otelcol_receiver_&lt;type&gt;_*</c>, tag <c>receiver</c>); otelcol has no
    /// eBPF receiver, so none of them has an otelcol twin (<c>traced_processes</c> mirrors Beyla/OBI's
    /// <c>beyla_instrumented_processes</c>). Every value is read from the latest <see cref="EbpfStats"/> snapshot.
    /// </summary>
    internal static class SelfMetricNames
    {
        public const string EventsReceived = "otelcol_receiver_ebpf_events_received";
        public const string RingbufWriteFailures = "otelcol_receiver_ebpf_ringbuf_write_failures";
        public const string Truncated = "otelcol_receiver_ebpf_events_truncated";
        public const string ChannelDropped = "otelcol_receiver_ebpf_channel_dropped_events";
        public const string Malformed = "otelcol_receiver_ebpf_malformed_events";
        public const string ParseErrors = "otelcol_receiver_ebpf_parse_errors";
        public const string ActiveConnections = "otelcol_receiver_ebpf_active_connections";
        public const string TracedProcesses = "otelcol_receiver_ebpf_traced_processes";
    }

    private void CreateSelfMetrics(Meter meter)
    {
        var tags = new KeyValuePair<string, object?>("receiver", _settings.Id.ToString());
        meter.CreateObservableCounter(SelfMetricNames.EventsReceived, () => new Measurement<long>(_stats.EventsReceived, tags), "{event}", "Events read from the kernel ring buffer.");
        meter.CreateObservableCounter(SelfMetricNames.RingbufWriteFailures, () => new Measurement<long>(_stats.RingbufWriteFailures, tags), "{event}", "Events the kernel could not write because the ring buffer was full (kernel-side counter).");
        meter.CreateObservableCounter(SelfMetricNames.Truncated, () => new Measurement<long>(_stats.Truncated, tags), "{event}", "Data events whose payload was cut to capture_size in the kernel.");
        meter.CreateObservableCounter(SelfMetricNames.ChannelDropped, () => new Measurement<long>(_stats.ChannelDropped, tags), "{event}", "Events dropped because processing fell behind (channel full).");
        meter.CreateObservableCounter(SelfMetricNames.Malformed, () => new Measurement<long>(_stats.Malformed, tags), "{event}", "Ring-buffer records that could not be decoded.");
        meter.CreateObservableCounter(SelfMetricNames.ParseErrors, ParseErrorMeasurements, "{error}", "Protocol parse errors, by protocol.");
        meter.CreateObservableGauge(SelfMetricNames.ActiveConnections, () => new Measurement<long>(_stats.ActiveConnections, tags), "{connection}", "Connections tracked now.");
        meter.CreateObservableGauge(SelfMetricNames.TracedProcesses, () => new Measurement<int>(_stats.TracedProcesses, tags), "{process}", "Processes traced now (in the kernel pid filter).");

        IEnumerable<Measurement<long>> ParseErrorMeasurements()
        {
            foreach (var (protocol, count) in _stats.ParseErrors)
            {
                yield return new Measurement<long>(count, tags, new KeyValuePair<string, object?>("protocol", protocol));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "eBPF receiver started: {Programs} programs attached, {Processes} processes traced, capture {CaptureSize} B, ring buffer {RingbufSize} B.")]
        public static partial void Started(ILogger logger, int programs, int processes, int captureSize, long ringbufSize);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "eBPF receiver stopped: {Events} events received, {RingbufFailures} ring-buffer write failures, {ChannelDropped} channel drops, {ParseErrors} parse errors, {Malformed} malformed records, {Connections} active connections, {Processes} processes traced.")]
        public static partial void Stopped(ILogger logger, long events, long ringbufFailures, long channelDropped, long parseErrors, long malformed, long connections, int processes);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Mounted tracefs on /sys/kernel/tracing to attach syscall tracepoints.")]
        public static partial void TraceFsMounted(ILogger logger);

        [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Attach mode: syscall tracepoints.")]
        public static partial void TracepointsAttached(ILogger logger);

        [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Attach mode: raw tracepoints (attach_mode is raw_tracepoint).")]
        public static partial void RawTracepointsConfigured(ILogger logger);

        [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Attach mode: raw tracepoints, because syscall tracepoints are unavailable: {Reason} The sys_enter/sys_exit programs now run on every syscall of the machine.")]
        public static partial void RawTracepointsFallback(ILogger logger, string reason);

        [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Connections on the collector's own ports are not traced: {Ports}.")]
        public static partial void OwnPortsExcluded(ILogger logger, string ports);

        [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Could not update the collector's own ports in the kernel; the previous set stays in force.")]
        public static partial void OwnPortsFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Discovery added {Added} processes; {Traced} traced.")]
        public static partial void ProcessesAdded(ILogger logger, int added, int traced);

        [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Process discovery failed; the previous selection stays in force.")]
        public static partial void DiscoveryFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "The next consumer refused {Count} spans for now ({Reason}); pushing them again shortly.")]
        public static partial void ConsumeRetrying(ILogger logger, int count, string reason);

        [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The next consumer refused {Count} {Items}; they are dropped.")]
        public static partial void ConsumeFailed(ILogger logger, string items, int count, Exception exception);
    }
}
