using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Processors.TailSampling;

/// <summary>
/// Holds the spans of each trace for <c>decision_wait</c> after its first span, then runs the policies on the whole
/// trace and passes on the sampled ones: every second a tick decides the traces that have waited long enough and sends
/// all sampled ones as one batch. Spans arriving after the decision follow it (from the trace table, or from the
/// decision caches once a trace has left the table). At most <c>num_traces</c> traces are held; a new trace beyond that
/// evicts the oldest, and an undecided evicted trace is lost and counted. Shutdown decides and sends what is pending
/// unless <c>drop_pending_traces_on_shutdown</c>.
/// </summary>
internal sealed partial class TailSamplingProcessor : IProcessor<Traces>
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly IConsumer<Traces> _next;
    private readonly ProcessorObsReport _obs;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _decisionWait;
    private readonly long _numTraces;
    private readonly bool _sampleOnFirstMatch;
    private readonly bool _dropPendingOnShutdown;
    private readonly Policy[] _policies;
    private readonly object _gate = new();
    private readonly object _tickGate = new();
    private readonly Dictionary<UInt128, TraceData> _traces;
    private readonly LinkedList<TraceData> _memory = new();
    private readonly Queue<TraceData> _pending = new();
    private readonly LruCache<UInt128, bool>? _sampledCache;
    private readonly LruCache<UInt128, bool>? _notSampledCache;
    private readonly Telemetry _telemetry;
    private ITimer? _timer;
    private Task _inFlight = Task.CompletedTask;
    private bool _stopped;

    public TailSamplingProcessor(ComponentSettings settings, TailSamplingConfig config, IConsumer<Traces> next)
    {
        _next = next;
        _obs = new ProcessorObsReport(settings, Signal.Traces);
        _logger = settings.Logger;
        _time = settings.TimeProvider;
        _decisionWait = config.DecisionWait;
        _numTraces = config.NumTraces;
        _sampleOnFirstMatch = config.SampleOnFirstMatch;
        _dropPendingOnShutdown = config.DropPendingTracesOnShutdown;
        _traces = new Dictionary<UInt128, TraceData>((int)Math.Min(config.ExpectedNewTracesPerSec * (long)Math.Max(1, config.DecisionWait.TotalSeconds), Math.Min(config.NumTraces, 1 << 20)));
        if (config.SampledCacheSize > 0)
        {
            _sampledCache = new LruCache<UInt128, bool>(config.SampledCacheSize);
        }

        if (config.NonSampledCacheSize > 0)
        {
            _notSampledCache = new LruCache<UInt128, bool>(config.NonSampledCacheSize);
        }

        _policies = new Policy[config.Policies.Count];
        for (int i = 0; i < _policies.Length; i++)
        {
            var p = config.Policies[i];
            string unique = settings.Id.Name.Length == 0 ? p.Name : settings.Id.Name + "." + p.Name;
            _policies[i] = new Policy(PolicyBuilder.Build(p, _time, _logger), unique);
        }

        _telemetry = new Telemetry(settings.Meter);
    }

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    /// <summary>Traces held (pending or decided but not yet evicted), for tests.</summary>
    internal int TracesInMemory
    {
        get
        {
            lock (_gate)
            {
                return _traces.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        _timer = _time.CreateTimer(static s => ((TailSamplingProcessor)s!).OnTick(), this, TickInterval, TickInterval);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        ITimer? timer;
        lock (_gate)
        {
            timer = _timer;
            _timer = null;
            _stopped = true;
        }

        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        ExportTraceServiceRequest? last = null;
        int dropped = 0;
        lock (_tickGate)
        {
            if (_dropPendingOnShutdown)
            {
                lock (_gate)
                {
                    dropped = _pending.Count;
                    _pending.Clear();
                }
            }
            else
            {
                last = Decide(all: true);
            }
        }

        if (dropped > 0)
        {
            Log.DroppedOnShutdown(_logger, dropped);
        }

        if (last is not null)
        {
            await SendAsync(last, cancellationToken).ConfigureAwait(false);
        }

        Task inFlight;
        lock (_gate)
        {
            inFlight = _inFlight;
            _traces.Clear();
            _memory.Clear();
        }

        await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ConsumeAsync(Traces data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        _obs.Incoming(data.ItemCount);
        ExportTraceServiceRequest? now = null;
        lock (_gate)
        {
            if (_stopped)
            {
                throw new InvalidOperationException("The tail_sampling processor is shut down.");
            }

            var fragments = new Dictionary<UInt128, Fragment>();
            foreach (var rs in data.Request.ResourceSpans)
            {
                fragments.Clear();
                Split(rs, fragments);
                foreach (var f in fragments.Values)
                {
                    if (Place(f))
                    {
                        (now ??= new ExportTraceServiceRequest()).ResourceSpans.Add(f.ResourceSpans);
                    }
                }
            }
        }

        if (now is not null)
        {
            await SendAsync(now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one tick now (the timer calls this every second).</summary>
    internal void OnTick()
    {
        if (!Monitor.TryEnter(_tickGate))
        {
            return;
        }

        try
        {
            if (Decide(all: false) is { } batch)
            {
                var send = SendAsync(batch, CancellationToken.None);
                if (!send.IsCompleted)
                {
                    lock (_gate)
                    {
                        _inFlight = Task.WhenAll(_inFlight, send.AsTask());
                    }
                }
            }
        }
        finally
        {
            Monitor.Exit(_tickGate);
        }
    }

    private static UInt128 KeyOf(ReadOnlySpan<byte> id)
    {
        if (id.Length == 16)
        {
            return BinaryPrimitives.ReadUInt128BigEndian(id);
        }

        Span<byte> padded = stackalloc byte[16];
        id[..Math.Min(16, id.Length)].CopyTo(padded);
        return BinaryPrimitives.ReadUInt128BigEndian(padded);
    }

    // Copies the spans of one resource into one fragment per trace, so nothing held shares objects with the caller.
    private static void Split(ResourceSpans rs, Dictionary<UInt128, Fragment> fragments)
    {
        foreach (var ss in rs.ScopeSpans)
        {
            foreach (var span in ss.Spans)
            {
                var key = KeyOf(span.TraceId.Span);
                if (!fragments.TryGetValue(key, out var f))
                {
                    var copy = new ResourceSpans { Resource = rs.Resource?.Clone(), SchemaUrl = rs.SchemaUrl };
                    f = new Fragment(key, span.TraceId.ToByteArray(), copy);
                    fragments[key] = f;
                }

                if (!ReferenceEquals(f.Source, ss))
                {
                    f.Source = ss;
                    f.Scope = new ScopeSpans { Scope = ss.Scope?.Clone(), SchemaUrl = ss.SchemaUrl };
                    f.ResourceSpans.ScopeSpans.Add(f.Scope);
                }

                f.Scope!.Spans.Add(span.Clone());
                f.SpanCount++;
            }
        }
    }

    // Files a fragment under its trace; true when it is to be sent now (its trace was already sampled).
    private bool Place(Fragment f)
    {
        if (_sampledCache is not null && _sampledCache.TryGet(f.Key, out _))
        {
            _telemetry.EarlyRelease(f.SpanCount, sampled: true);
            return true;
        }

        if (_notSampledCache is not null && _notSampledCache.TryGet(f.Key, out _))
        {
            _telemetry.EarlyRelease(f.SpanCount, sampled: false);
            return false;
        }

        if (_traces.TryGetValue(f.Key, out var trace))
        {
            trace.SpanCount += f.SpanCount;
            switch (trace.FinalDecision)
            {
                case Decision.Unspecified:
                    trace.Batches.Add(f.ResourceSpans);
                    return false;
                case Decision.Sampled:
                    _telemetry.LateSpan(_time.GetUtcNow() - trace.DecisionTime);
                    return true;
                default:
                    _telemetry.LateSpan(_time.GetUtcNow() - trace.DecisionTime);
                    return false;
            }
        }

        if (_traces.Count >= _numTraces)
        {
            Evict();
        }

        trace = new TraceData(f.Key, PadTo16(f.TraceId), _time.GetUtcNow()) { SpanCount = f.SpanCount };
        trace.Batches.Add(f.ResourceSpans);
        trace.MemoryNode = _memory.AddLast(trace);
        _traces[f.Key] = trace;
        _pending.Enqueue(trace);
        _telemetry.NewTrace();
        return false;
    }

    private void Evict()
    {
        var oldest = _memory.First;
        if (oldest is null)
        {
            return;
        }

        Remove(oldest.Value);
        if (oldest.Value.FinalDecision == Decision.Unspecified)
        {
            // Its spans are lost; the tick that would have decided it finds nothing, as in otelcol.
            oldest.Value.Batches.Clear();
            _telemetry.DroppedTooEarly();
        }
    }

    private void Remove(TraceData trace)
    {
        _traces.Remove(trace.Key);
        if (trace.MemoryNode is not null)
        {
            _memory.Remove(trace.MemoryNode);
            trace.MemoryNode = null;
        }
    }

    // Decides the traces that have waited long enough (or all pending ones) and returns the sampled spans, or null.
    private ExportTraceServiceRequest? Decide(bool all)
    {
        ExportTraceServiceRequest? output = null;
        var tally = new long[_policies.Length * 2];
        int sampled = 0;
        int notSampled = 0;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            while (_pending.TryPeek(out var trace) && (all || now - trace.ArrivalTime >= _decisionWait))
            {
                _pending.Dequeue();
                if (trace.MemoryNode is null || trace.FinalDecision != Decision.Unspecified)
                {
                    continue;
                }

                var decision = MakeDecision(trace, tally);
                trace.FinalDecision = decision;
                trace.DecisionTime = now;
                if (decision == Decision.Sampled)
                {
                    sampled++;
                    output ??= new ExportTraceServiceRequest();
                    output.ResourceSpans.AddRange(trace.Batches);
                    if (_sampledCache is not null)
                    {
                        _sampledCache.Put(trace.Key, true);
                        Remove(trace);
                    }
                }
                else
                {
                    notSampled++;
                    if (_notSampledCache is not null)
                    {
                        _notSampledCache.Put(trace.Key, false);
                        Remove(trace);
                    }
                }

                trace.Batches.Clear();
            }

            _telemetry.TracesOnMemory(_traces.Count);
        }

        for (int i = 0; i < _policies.Length; i++)
        {
            _telemetry.PolicyDecisions(_policies[i].Tag, tally[i * 2], tally[(i * 2) + 1]);
        }

        _telemetry.GlobalDecisions(sampled, notSampled);
        return output;
    }

    private Decision MakeDecision(TraceData trace, long[] tally)
    {
        bool dropped = false;
        bool invertNotSampled = false;
        bool sampled = false;
        bool invertSampled = false;
        bool notSampled = false;
        for (int i = 0; i < _policies.Length; i++)
        {
            var d = _policies[i].Evaluator.Evaluate(trace);
            bool keep = d is Decision.Sampled or Decision.InvertSampled;
            tally[(i * 2) + (keep ? 0 : 1)]++;
            switch (d)
            {
                case Decision.Dropped:
                    dropped = true;
                    break;
                case Decision.InvertNotSampled:
                    invertNotSampled = true;
                    break;
                case Decision.Sampled:
                    sampled = true;
                    break;
                case Decision.InvertSampled:
                    invertSampled = true;
                    break;
                case Decision.NotSampled:
                    notSampled = true;
                    break;
            }

            if (dropped || (_sampleOnFirstMatch && d == Decision.Sampled))
            {
                break;
            }
        }

        if (dropped || invertNotSampled)
        {
            return Decision.NotSampled;
        }

        return sampled || (invertSampled && !notSampled) ? Decision.Sampled : Decision.NotSampled;
    }

    private async ValueTask SendAsync(ExportTraceServiceRequest request, CancellationToken cancellationToken)
    {
        var batch = Traces.FromRequest(request);
        int count = batch.ItemCount;
        try
        {
            await _next.ConsumeAsync(batch, cancellationToken).ConfigureAwait(false);
            _obs.Outgoing(count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // As otelcol: the spans are gone from the processor; the failure is logged, not returned to a sender.
            Log.SendFailed(_logger, count, ex);
        }
    }

    private static byte[] PadTo16(byte[] id)
    {
        if (id.Length == 16)
        {
            return id;
        }

        var padded = new byte[16];
        id.AsSpan(0, Math.Min(16, id.Length)).CopyTo(padded);
        return padded;
    }

    private sealed record Policy(IPolicyEvaluator Evaluator, string Tag);

    private sealed class Fragment(UInt128 key, byte[] traceId, ResourceSpans resourceSpans)
    {
        public UInt128 Key { get; } = key;

        public byte[] TraceId { get; } = traceId;

        public ResourceSpans ResourceSpans { get; } = resourceSpans;

        public ScopeSpans? Source { get; set; }

        public ScopeSpans? Scope { get; set; }

        public long SpanCount { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Error sending {Count} sampled spans to the next consumer.")]
        public static partial void SendFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Dropped {Count} pending traces on shutdown, as drop_pending_traces_on_shutdown asks.")]
        public static partial void DroppedOnShutdown(ILogger logger, int count);
    }

    /// <summary>otelcol's <c>otelcol_processor_tail_sampling_*</c> instruments.</summary>
    private sealed class Telemetry
    {
        private static readonly KeyValuePair<string, object?> SampledTrue = new("sampled", true);
        private static readonly KeyValuePair<string, object?> SampledFalse = new("sampled", false);

        private readonly Counter<long> _countTracesSampled;
        private readonly Counter<long> _globalCountTracesSampled;
        private readonly Counter<long> _droppedTooEarly;
        private readonly Counter<long> _newTraceIdReceived;
        private readonly Counter<long> _earlyReleases;
        private readonly Histogram<long> _lateSpanAge;
        private long _onMemory;

        public Telemetry(Meter meter)
        {
            const string Prefix = "otelcol_processor_tail_sampling_";
            _countTracesSampled = meter.CreateCounter<long>(Prefix + "count_traces_sampled", "{trace}", "Count of traces that were sampled or not per sampling policy.");
            _globalCountTracesSampled = meter.CreateCounter<long>(Prefix + "global_count_traces_sampled", "{trace}", "Global count of traces that were sampled or not by at least one policy.");
            _droppedTooEarly = meter.CreateCounter<long>(Prefix + "sampling_trace_dropped_too_early", "{trace}", "Count of traces that needed to be dropped before the configured wait time.");
            _newTraceIdReceived = meter.CreateCounter<long>(Prefix + "new_trace_id_received", "{trace}", "Counts the arrival of new traces.");
            _earlyReleases = meter.CreateCounter<long>(Prefix + "early_releases_from_cache_decision", "{span}", "Number of spans that were able to be immediately released due to a decision cache hit.");
            _lateSpanAge = meter.CreateHistogram<long>(Prefix + "sampling_late_span_age", "s", "Time (in seconds) from the sampling decision was taken and the arrival of a late span.");
            meter.CreateObservableGauge(Prefix + "sampling_traces_on_memory", () => Interlocked.Read(ref _onMemory), "{trace}", "Tracks the number of traces current on memory.");
        }

        public void PolicyDecisions(string policy, long sampled, long notSampled)
        {
            if (sampled > 0)
            {
                _countTracesSampled.Add(sampled, new KeyValuePair<string, object?>("policy", policy), SampledTrue);
            }

            if (notSampled > 0)
            {
                _countTracesSampled.Add(notSampled, new KeyValuePair<string, object?>("policy", policy), SampledFalse);
            }
        }

        public void GlobalDecisions(long sampled, long notSampled)
        {
            if (sampled > 0)
            {
                _globalCountTracesSampled.Add(sampled, SampledTrue);
            }

            if (notSampled > 0)
            {
                _globalCountTracesSampled.Add(notSampled, SampledFalse);
            }
        }

        public void DroppedTooEarly() => _droppedTooEarly.Add(1);

        public void NewTrace() => _newTraceIdReceived.Add(1);

        public void EarlyRelease(long spans, bool sampled) => _earlyReleases.Add(spans, sampled ? SampledTrue : SampledFalse);

        public void LateSpan(TimeSpan age) => _lateSpanAge.Record((long)age.TotalSeconds);

        public void TracesOnMemory(int count) => Interlocked.Exchange(ref _onMemory, count);
    }
}
