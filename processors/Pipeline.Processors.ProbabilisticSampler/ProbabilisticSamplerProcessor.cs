using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Processors.Common;
using Pipeline.Telemetry;

namespace Pipeline.Processors.ProbabilisticSampler;

/// <summary>
/// Keeps a share of spans or log records, deciding each item as otelcol's <c>hash_seed</c> mode does: the trace ID
/// (or, for logs with <c>attribute_source: record</c>, the <c>from_attribute</c> value) is hashed with the seed,
/// <c>sampling.priority</c> on spans forces the decision (0 drops, &gt;0 keeps), items without randomness or with
/// OTEP 235 sampling state are decided by <c>fail_closed</c>, and kept items carry <c>ot=rv:…;th:…</c> in their
/// tracestate (logs: <c>sampling.randomness</c>/<c>sampling.threshold</c> attributes). Emptied scopes and resources
/// are removed; a batch left empty is not passed on.
/// </summary>
/// <typeparam name="T">Traces or Logs.</typeparam>
internal sealed partial class ProbabilisticSamplerProcessor<T> : IProcessor<T>
    where T : TelemetryData
{
    private readonly IConsumer<T> _next;
    private readonly ProcessorObsReport _obs;
    private readonly Counter<long> _sampledCount;
    private readonly ILogger _logger;
    private readonly uint _seed;
    private readonly SamplerMode _mode;
    private readonly double _ratio;
    private readonly ulong _threshold;
    private readonly bool _failClosed;
    private readonly bool _logsFromTraceId;
    private readonly string _fromAttribute;
    private readonly string _samplingPriority;
    private readonly int _precision;
    private readonly string _processorId;

    public ProbabilisticSamplerProcessor(ComponentSettings settings, ProbabilisticSamplerConfig config, Signal signal, IConsumer<T> next)
    {
        _next = next;
        _obs = new ProcessorObsReport(settings, signal);
        _logger = settings.Logger;
        _processorId = settings.Id.ToString();
        _sampledCount = settings.Meter.CreateCounter<long>(
            signal == Signal.Traces ? "otelcol_processor_probabilistic_sampler_count_traces_sampled" : "otelcol_processor_probabilistic_sampler_count_logs_sampled",
            "{" + (signal == Signal.Traces ? "span" : "log_record") + "}",
            "Count of items that were sampled or not.");
        _seed = config.HashSeed;
        _failClosed = config.FailClosed;
        _logsFromTraceId = config.AttributeSource == "traceID";
        _fromAttribute = config.FromAttribute;
        _samplingPriority = config.SamplingPriority;
        _precision = config.SamplingPrecision;
        float pct = Math.Min(config.SamplingPercentage, 100f);
        _ratio = Math.Max((double)pct / 100, 1.0 / HashSeedSampling.NeverSampleThreshold);
        _mode = config.Mode switch
        {
            "equalizing" => SamplerMode.Equalizing,
            "proportional" => SamplerMode.Proportional,
            _ => SamplerMode.HashSeed,
        };
        _threshold = HashSeedSampling.NeverSampleThreshold;
        if (pct <= 0)
        {
            _mode = SamplerMode.Never;
        }
        else if (_mode == SamplerMode.HashSeed)
        {
            uint scaled = HashSeedSampling.ScaledSamplingRate(pct);
            if (scaled == 0)
            {
                Log.RoundedToZero(_logger, pct);
                _mode = SamplerMode.Never;
            }
            else
            {
                _threshold = HashSeedSampling.Threshold(scaled);
            }
        }
        else if (_mode == SamplerMode.Equalizing)
        {
            HashSeedSampling.TryProbabilityToThreshold(_ratio, _precision, out _threshold);
        }
    }

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.Mutating;

    /// <inheritdoc />
    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        _obs.Incoming(data.ItemCount);
        var tally = new Tally();
        switch (data)
        {
            case Traces traces:
                SampleTraces(traces, ref tally);
                break;
            case Logs logs:
                SampleLogs(logs, ref tally);
                break;
        }

        tally.Emit(_sampledCount, _fromAttribute);
        if (tally.Errors > 0)
        {
            Log.UndecidableItems(_logger, tally.Errors, _failClosed ? "dropped" : "kept");
        }

        int left = data.ItemCount;
        _obs.Outgoing(left);
        return left == 0 ? ValueTask.CompletedTask : _next.ConsumeAsync(data, cancellationToken);
    }

    private void SampleTraces(Traces traces, ref Tally tally)
    {
        var resources = traces.GetMutableRequest().ResourceSpans;
        for (int r = resources.Count - 1; r >= 0; r--)
        {
            var scopes = resources[r].ScopeSpans;
            for (int s = scopes.Count - 1; s >= 0; s--)
            {
                var spans = scopes[s].Spans;
                int kept = 0;
                for (int i = 0; i < spans.Count; i++)
                {
                    if (DecideSpan(spans[i], ref tally))
                    {
                        spans[kept++] = spans[i];
                    }
                }

                Truncate(spans, kept);
                if (kept == 0)
                {
                    scopes.RemoveAt(s);
                }
            }

            if (scopes.Count == 0)
            {
                resources.RemoveAt(r);
            }
        }
    }

    private void SampleLogs(Logs logs, ref Tally tally)
    {
        var resources = logs.GetMutableRequest().ResourceLogs;
        for (int r = resources.Count - 1; r >= 0; r--)
        {
            var scopes = resources[r].ScopeLogs;
            for (int s = scopes.Count - 1; s >= 0; s--)
            {
                var records = scopes[s].LogRecords;
                int kept = 0;
                for (int i = 0; i < records.Count; i++)
                {
                    if (DecideLog(records[i], ref tally))
                    {
                        records[kept++] = records[i];
                    }
                }

                Truncate(records, kept);
                if (kept == 0)
                {
                    scopes.RemoveAt(s);
                }
            }

            if (scopes.Count == 0)
            {
                resources.RemoveAt(r);
            }
        }
    }

    private bool DecideSpan(Span span, ref Tally tally)
    {
        bool error = false;
        bool missing = true;
        ulong randomness = HashSeedSampling.AllProbabilitiesRandomness;
        var policy = SamplingPolicy.MissingRandomness;
        bool parsed = OtelTraceState.TryParse(span.TraceState, out var state);
        OtelTraceState? carrier = parsed ? state : null;
        if (_mode == SamplerMode.Never)
        {
            // otelcol's never-sampler uses a stand-in randomness: only a priority can keep the span.
            missing = false;
            policy = SamplingPolicy.SamplingPriority;
        }
        else if (_mode == SamplerMode.HashSeed)
        {
            if (!IsEmptyTraceId(span.TraceId))
            {
                randomness = HashSeedSampling.RandomnessFromBytes(span.TraceId.Span, _seed);
                missing = false;
                policy = SamplingPolicy.TraceIdHash;
            }

            if (parsed && (state.RValue is not null || state.TValue is not null))
            {
                // The span already carries consistent-sampling state that this mode must not overwrite.
                error = true;
                carrier = null;
            }
            else if (parsed)
            {
                state.SetRandomness(randomness);
            }
        }
        else if (parsed && state.RValue is not null)
        {
            HashSeedSampling.TryParseRValue(state.RValue, out randomness);
            missing = false;
            policy = SamplingPolicy.SamplingRandomness;
        }
        else if (parsed && !IsEmptyTraceId(span.TraceId))
        {
            randomness = W3CRandomness(span.TraceId.Span);
            missing = false;
            policy = SamplingPolicy.TraceIdW3C;
        }

        error |= !parsed || missing;
        if (!error && state.TValue is not null && state.Threshold > randomness)
        {
            // An arriving threshold this randomness would not pass is cleared (otelcol's consistency check).
            state.ClearThreshold();
            error = true;
        }

        ulong threshold = error ? (_failClosed ? HashSeedSampling.NeverSampleThreshold : 0) : Decide(carrier?.TValue is not null, carrier?.Threshold ?? 0);
        if (error)
        {
            tally.Errors++;
        }

        switch (SpanPriority(span.Attributes))
        {
            case Priority.DoNotSample:
                threshold = HashSeedSampling.NeverSampleThreshold;
                policy = SamplingPolicy.SamplingPriority;
                break;
            case Priority.MustSample:
                threshold = 0;
                policy = SamplingPolicy.SamplingPriority;
                break;
        }

        bool sampled = threshold <= randomness;
        if (sampled && carrier is not null)
        {
            carrier.UpdateThreshold(threshold);
            span.TraceState = carrier.Serialize();
        }

        tally.Add(policy, sampled);
        return sampled;
    }

    private bool DecideLog(LogRecord record, ref Tally tally)
    {
        bool error = false;
        bool missing = true;
        ulong randomness = HashSeedSampling.AllProbabilitiesRandomness;
        var policy = SamplingPolicy.MissingRandomness;
        bool carrierOk = TryReadLogState(record.Attributes, out string? rvalue, out ulong arrivingRandomness, out string? tvalue, out ulong arrivingThreshold);

        if (_mode != SamplerMode.HashSeed)
        {
            // otelcol's consistent-mode randomness: explicit rv, else the trace ID's low 56 bits, else the attribute hash.
            if (carrierOk && rvalue is not null)
            {
                randomness = arrivingRandomness;
                missing = false;
                policy = SamplingPolicy.SamplingRandomness;
            }
            else if (!IsEmptyTraceId(record.TraceId))
            {
                randomness = W3CRandomness(record.TraceId.Span);
                missing = false;
                policy = SamplingPolicy.TraceIdW3C;
            }
            else if (TryAttributeRandomness(record.Attributes, out randomness))
            {
                missing = false;
                policy = SamplingPolicy.Attribute;
            }
        }
        else
        {
            if (_logsFromTraceId)
            {
                // As otelcol: an absent trace ID hashes as 16 zero bytes.
                Span<byte> id = stackalloc byte[16];
                record.TraceId.Span[..Math.Min(16, record.TraceId.Length)].CopyTo(id);
                randomness = HashSeedSampling.RandomnessFromBytes(id, _seed);
                missing = false;
                policy = SamplingPolicy.TraceIdHash;
            }

            if (missing && TryAttributeRandomness(record.Attributes, out randomness))
            {
                missing = false;
                policy = SamplingPolicy.Attribute;
            }

            if (carrierOk && (rvalue is not null || tvalue is not null))
            {
                error = true;
            }
            else if (carrierOk && !missing)
            {
                AttributeValues.Put(record.Attributes, "sampling.randomness", new AnyValue { StringValue = HashSeedSampling.RValue(randomness) });
            }
        }

        error |= !carrierOk || missing;
        if (!error && tvalue is not null && arrivingThreshold > randomness)
        {
            // An arriving threshold that this randomness would not pass is cleared (otelcol's consistency check).
            RemoveAttribute(record.Attributes, "sampling.threshold");
            tvalue = null;
            error = true;
        }

        ulong threshold = error ? (_failClosed ? HashSeedSampling.NeverSampleThreshold : 0) : Decide(tvalue is not null, arrivingThreshold);
        if (error)
        {
            tally.Errors++;
        }

        if (_samplingPriority.Length > 0)
        {
            ulong priority = LogPriorityThreshold(record.Attributes);
            if (priority < threshold)
            {
                threshold = priority;
            }
        }

        bool sampled = threshold <= randomness;
        if (sampled && carrierOk && !(tvalue is not null && arrivingThreshold > threshold))
        {
            AttributeValues.Put(record.Attributes, "sampling.threshold", new AnyValue { StringValue = HashSeedSampling.TValue(threshold) });
        }

        tally.Add(policy, sampled);
        return sampled;
    }

    // The threshold an item must pass, given the threshold it arrived with (otelcol's decide per sampler).
    private ulong Decide(bool hasArriving, ulong arriving)
    {
        switch (_mode)
        {
            case SamplerMode.Equalizing:
                // Never raise the probability of an item already sampled at a lower one.
                return hasArriving && _threshold < arriving ? arriving : _threshold;
            case SamplerMode.Proportional:
                double incoming = hasArriving ? (double)(HashSeedSampling.NeverSampleThreshold - arriving) / HashSeedSampling.NeverSampleThreshold : 1.0;
                return HashSeedSampling.TryProbabilityToThreshold(incoming * _ratio, _precision, out ulong threshold)
                    ? threshold
                    : HashSeedSampling.NeverSampleThreshold;
            default:
                return _threshold;
        }
    }

    // otelcol's logRecordToPriorityThreshold. It reads the attribute as a double even for ints, so an int priority
    // never yields a threshold there; the same holds here.
    private ulong LogPriorityThreshold(RepeatedField<KeyValue> attributes)
    {
        var value = AttributeValues.Get(attributes, _samplingPriority);
        if (value is { ValueCase: AnyValue.ValueOneofCase.DoubleValue } && value.DoubleValue != 0
            && HashSeedSampling.TryProbabilityToThreshold(value.DoubleValue / 100.0, _precision, out ulong threshold))
        {
            return threshold;
        }

        return HashSeedSampling.NeverSampleThreshold;
    }

    private bool TryAttributeRandomness(RepeatedField<KeyValue> attributes, out ulong randomness)
    {
        randomness = HashSeedSampling.AllProbabilitiesRandomness;
        if (_fromAttribute.Length == 0 || AttributeValues.Get(attributes, _fromAttribute) is not { } value)
        {
            return false;
        }

        randomness = value.ValueCase == AnyValue.ValueOneofCase.BytesValue
            ? HashSeedSampling.RandomnessFromBytes(value.BytesValue.Span, _seed)
            : HashSeedSampling.RandomnessFromBytes(Encoding.UTF8.GetBytes(AttributeValues.AsString(value)), _seed);
        return true;
    }

    private static bool TryReadLogState(RepeatedField<KeyValue> attributes, out string? rvalue, out ulong randomness, out string? tvalue, out ulong threshold)
    {
        bool ok = true;
        rvalue = null;
        tvalue = null;
        randomness = 0;
        threshold = 0;
        if (AttributeValues.Get(attributes, "sampling.threshold") is { ValueCase: AnyValue.ValueOneofCase.StringValue, StringValue.Length: > 0 } th)
        {
            if (HashSeedSampling.TryParseTValue(th.StringValue, out threshold))
            {
                tvalue = th.StringValue;
            }
            else
            {
                ok = false;
            }
        }

        if (AttributeValues.Get(attributes, "sampling.randomness") is { ValueCase: AnyValue.ValueOneofCase.StringValue, StringValue.Length: > 0 } rv)
        {
            if (HashSeedSampling.TryParseRValue(rv.StringValue, out randomness))
            {
                rvalue = rv.StringValue;
            }
            else
            {
                ok = false;
            }
        }

        return ok;
    }

    private static Priority SpanPriority(RepeatedField<KeyValue> attributes)
    {
        var value = AttributeValues.Get(attributes, "sampling.priority");
        double priority;
        switch (value?.ValueCase)
        {
            case AnyValue.ValueOneofCase.IntValue:
                priority = value.IntValue;
                break;
            case AnyValue.ValueOneofCase.DoubleValue:
                priority = value.DoubleValue;
                break;
            case AnyValue.ValueOneofCase.StringValue:
                if (!double.TryParse(value.StringValue, NumberStyles.Float, CultureInfo.InvariantCulture, out priority))
                {
                    return Priority.Defer;
                }

                break;
            default:
                return Priority.Defer;
        }

        return priority == 0 ? Priority.DoNotSample : priority > 0 ? Priority.MustSample : Priority.Defer;
    }

    private static bool IsEmptyTraceId(ByteString id)
    {
        foreach (byte b in id.Span)
        {
            if (b != 0)
            {
                return false;
            }
        }

        return true;
    }

    // OTEP 235: the randomness of a W3C trace ID is its last 7 bytes, big-endian.
    private static ulong W3CRandomness(ReadOnlySpan<byte> traceId)
    {
        Span<byte> last = stackalloc byte[8];
        last.Clear();
        var tail = traceId.Length >= 7 ? traceId[^7..] : traceId;
        tail.CopyTo(last[(8 - tail.Length)..]);
        return BinaryPrimitives.ReadUInt64BigEndian(last);
    }

    private static void RemoveAttribute(RepeatedField<KeyValue> attributes, string key)
    {
        int i = AttributeValues.IndexOf(attributes, key);
        if (i >= 0)
        {
            attributes.RemoveAt(i);
        }
    }

    private static void Truncate<TItem>(RepeatedField<TItem> items, int count)
    {
        while (items.Count > count)
        {
            items.RemoveAt(items.Count - 1);
        }
    }

    private enum SamplerMode
    {
        HashSeed,
        Equalizing,
        Proportional,
        Never,
    }

    private enum Priority
    {
        Defer,
        MustSample,
        DoNotSample,
    }

    // Per-batch counts, emitted once per batch rather than per item.
    private struct Tally
    {
        private long _traceIdTrue;
        private long _traceIdFalse;
        private long _attributeTrue;
        private long _attributeFalse;
        private long _priorityTrue;
        private long _priorityFalse;
        private long _missingTrue;
        private long _missingFalse;
        private long _rvTrue;
        private long _rvFalse;
        private long _w3cTrue;
        private long _w3cFalse;

        public int Errors { get; set; }

        public void Add(SamplingPolicy policy, bool sampled)
        {
            switch (policy)
            {
                case SamplingPolicy.TraceIdHash:
                    _ = sampled ? _traceIdTrue++ : _traceIdFalse++;
                    break;
                case SamplingPolicy.Attribute:
                    _ = sampled ? _attributeTrue++ : _attributeFalse++;
                    break;
                case SamplingPolicy.SamplingPriority:
                    _ = sampled ? _priorityTrue++ : _priorityFalse++;
                    break;
                case SamplingPolicy.SamplingRandomness:
                    _ = sampled ? _rvTrue++ : _rvFalse++;
                    break;
                case SamplingPolicy.TraceIdW3C:
                    _ = sampled ? _w3cTrue++ : _w3cFalse++;
                    break;
                default:
                    _ = sampled ? _missingTrue++ : _missingFalse++;
                    break;
            }
        }

        public readonly void Emit(Counter<long> counter, string attributeName)
        {
            Emit(counter, "trace_id_hash", _traceIdTrue, _traceIdFalse);
            Emit(counter, attributeName, _attributeTrue, _attributeFalse);
            Emit(counter, "sampling_priority", _priorityTrue, _priorityFalse);
            Emit(counter, "missing_randomness", _missingTrue, _missingFalse);
            Emit(counter, "sampling_randomness", _rvTrue, _rvFalse);
            Emit(counter, "trace_id_w3c", _w3cTrue, _w3cFalse);
        }

        private static void Emit(Counter<long> counter, string policy, long sampled, long dropped)
        {
            if (sampled > 0)
            {
                counter.Add(sampled, new KeyValuePair<string, object?>("policy", policy), new KeyValuePair<string, object?>("sampled", "true"));
            }

            if (dropped > 0)
            {
                counter.Add(dropped, new KeyValuePair<string, object?>("policy", policy), new KeyValuePair<string, object?>("sampled", "false"));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The sampling percentage {Percent} rounds to zero hash buckets; every item is dropped unless its priority keeps it.")]
        public static partial void RoundedToZero(ILogger logger, float percent);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Count} items had no usable randomness or already carried sampling state; fail_closed {Outcome} them.")]
        public static partial void UndecidableItems(ILogger logger, int count, string outcome);
    }
}
