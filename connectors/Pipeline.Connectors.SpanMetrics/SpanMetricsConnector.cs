using System.Text;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Connectors.SpanMetrics;

/// <summary>
/// Aggregates spans into <c>{namespace}.calls</c> (monotonic sum), <c>{namespace}.duration</c> (explicit-bucket or
/// exponential histogram) and, when enabled, <c>{namespace}.events</c> (monotonic sum of span events) per resource and
/// per (service.name, span.name, span.kind, status.code, configured dimensions), with trace_id/span_id exemplars when
/// enabled, and emits them every <c>metrics_flush_interval</c> and at shutdown. As in otelcol, spans of a resource
/// without <c>service.name</c> are not counted.
/// </summary>
internal sealed partial class SpanMetricsConnector : IConnector<Traces>
{
    private const string OverflowKey = "\u0000overflow";
    private readonly SpanMetricsConfig _config;
    private readonly IConsumer<Metrics> _next;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly double[] _bounds;
    private readonly bool _delta;
    private readonly bool _excludeServiceName;
    private readonly bool _excludeSpanName;
    private readonly bool _excludeSpanKind;
    private readonly bool _excludeStatusCode;
    private readonly object _gate = new();
    private readonly Dictionary<string, ResourceState> _resources = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private ITimer? _timer;
    private ulong _lastFlushNs;

    public SpanMetricsConnector(ComponentSettings settings, SpanMetricsConfig config, IConsumer<Metrics> next)
    {
        _config = config;
        _next = next;
        _logger = settings.Logger;
        _time = settings.TimeProvider;
        _bounds = config.BucketBounds();
        _delta = config.AggregationTemporality == "AGGREGATION_TEMPORALITY_DELTA";
        _excludeServiceName = config.ExcludeDimensions.Contains("service.name");
        _excludeSpanName = config.ExcludeDimensions.Contains("span.name");
        _excludeSpanKind = config.ExcludeDimensions.Contains("span.kind");
        _excludeStatusCode = config.ExcludeDimensions.Contains("status.code");
        _lastFlushNs = NowNs();
    }

    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        _timer = _time.CreateTimer(static s => _ = ((SpanMetricsConnector)s!).FlushAsync(CancellationToken.None), this, _config.MetricsFlushInterval, _config.MetricsFlushInterval);
        return Task.CompletedTask;
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
            _timer = null;
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask ConsumeAsync(Traces data, CancellationToken cancellationToken)
    {
        var request = data.Request;
        var key = new StringBuilder(128);
        lock (_gate)
        {
            ulong now = NowNs();
            foreach (var rs in request.ResourceSpans)
            {
                if (FindString(rs.Resource?.Attributes, "service.name") is not { } serviceName)
                {
                    continue;
                }

                var resource = ResourceFor(rs.Resource, key);
                resource.LastSeenNs = now;
                foreach (var ss in rs.ScopeSpans)
                {
                    bool withScope = ss.Scope is not null && _config.IncludeInstrumentationScope.Contains(ss.Scope.Name);
                    foreach (var span in ss.Spans)
                    {
                        Record(resource, serviceName, rs.Resource, withScope ? ss.Scope : null, span, key);
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Emits the current aggregates (and, for delta temporality, starts new ones).</summary>
    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ExportMetricsServiceRequest? request = Snapshot();
            if (request is null)
            {
                return;
            }

            try
            {
                await _next.ConsumeAsync(Metrics.FromRequest(request), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.FlushFailed(_logger, e.Message);
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    private ExportMetricsServiceRequest? Snapshot()
    {
        ulong now = NowNs();
        var request = new ExportMetricsServiceRequest();
        var temporality = _delta ? OpenTelemetry.Proto.Metrics.V1.AggregationTemporality.Delta : OpenTelemetry.Proto.Metrics.V1.AggregationTemporality.Cumulative;
        lock (_gate)
        {
            List<string>? expired = null;
            foreach (var (resourceKey, resource) in _resources)
            {
                if (resource.Series.Count == 0 && resource.Events.Count == 0)
                {
                    continue;
                }

                var calls = new Sum { AggregationTemporality = temporality, IsMonotonic = true };
                var duration = new Histogram { AggregationTemporality = temporality };
                var exponential = new ExponentialHistogram { AggregationTemporality = temporality };
                foreach (var series in resource.Series.Values)
                {
                    ulong start = _delta ? _lastFlushNs : series.StartNs;
                    var callPoint = new NumberDataPoint { StartTimeUnixNano = start, TimeUnixNano = now, AsInt = series.Calls };
                    callPoint.Attributes.Add(series.Attributes);
                    AddExemplars(callPoint.Exemplars, series.Exemplars, now);
                    calls.DataPoints.Add(callPoint);
                    if (_config.HistogramDisabled)
                    {
                        continue;
                    }

                    if (series.Exponential is { } buckets)
                    {
                        var point = new ExponentialHistogramDataPoint { StartTimeUnixNano = start, TimeUnixNano = now };
                        point.Attributes.Add(series.Attributes);
                        buckets.WriteTo(point);
                        AddExemplars(point.Exemplars, series.Exemplars, now);
                        exponential.DataPoints.Add(point);
                    }
                    else
                    {
                        var histogramPoint = new HistogramDataPoint { StartTimeUnixNano = start, TimeUnixNano = now, Count = (ulong)series.Calls, Sum = series.Sum };
                        histogramPoint.Attributes.Add(series.Attributes);
                        histogramPoint.ExplicitBounds.Add(_bounds);
                        foreach (long c in series.BucketCounts)
                        {
                            histogramPoint.BucketCounts.Add((ulong)c);
                        }

                        AddExemplars(histogramPoint.Exemplars, series.Exemplars, now);
                        duration.DataPoints.Add(histogramPoint);
                    }
                }

                var scope = new ScopeMetrics { Scope = new InstrumentationScope { Name = "spanmetricsconnector" } };
                scope.Metrics.Add(new Metric { Name = MetricName("calls"), Unit = "{call}", Sum = calls });
                if (!_config.HistogramDisabled)
                {
                    var metric = new Metric { Name = MetricName("duration"), Unit = _config.HistogramUnit };
                    if (_config.ExponentialMaxSize is null)
                    {
                        metric.Histogram = duration;
                    }
                    else
                    {
                        metric.ExponentialHistogram = exponential;
                    }

                    scope.Metrics.Add(metric);
                }

                if (_config.EventsEnabled)
                {
                    var events = new Sum { AggregationTemporality = temporality, IsMonotonic = true };
                    foreach (var series in resource.Events.Values)
                    {
                        var point = new NumberDataPoint { StartTimeUnixNano = _delta ? _lastFlushNs : series.StartNs, TimeUnixNano = now, AsInt = series.Calls };
                        point.Attributes.Add(series.Attributes);
                        AddExemplars(point.Exemplars, series.Exemplars, now);
                        events.DataPoints.Add(point);
                    }

                    scope.Metrics.Add(new Metric { Name = MetricName("events"), Sum = events });
                }

                var rm = new ResourceMetrics { Resource = resource.Resource.Clone() };
                rm.ScopeMetrics.Add(scope);
                request.ResourceMetrics.Add(rm);
                if (_delta)
                {
                    resource.Series.Clear();
                    resource.Events.Clear();
                }
                else
                {
                    // Exemplars belong to the interval just exported.
                    ClearExemplars(resource.Series);
                    ClearExemplars(resource.Events);
                    if (_config.MetricsExpiration > TimeSpan.Zero && now - resource.LastSeenNs >= (ulong)_config.MetricsExpiration.Ticks * 100)
                    {
                        (expired ??= []).Add(resourceKey);
                    }
                }
            }

            if (expired is not null)
            {
                foreach (var key in expired)
                {
                    _resources.Remove(key);
                }
            }

            _lastFlushNs = now;
        }

        return request.ResourceMetrics.Count == 0 ? null : request;
    }

    private string MetricName(string name) => _config.Namespace.Length > 0 ? _config.Namespace + "." + name : name;

    private static void AddExemplars(Google.Protobuf.Collections.RepeatedField<Exemplar> target, List<Exemplar>? exemplars, ulong now)
    {
        if (exemplars is null)
        {
            return;
        }

        foreach (var exemplar in exemplars)
        {
            var copy = exemplar.Clone();
            copy.TimeUnixNano = now;
            target.Add(copy);
        }
    }

    private static void ClearExemplars(Dictionary<string, SeriesState> series)
    {
        foreach (var state in series.Values)
        {
            state.Exemplars = null;
        }
    }

    private ResourceState ResourceFor(Resource? resource, StringBuilder key)
    {
        key.Clear();
        if (resource is not null)
        {
            foreach (var kv in resource.Attributes)
            {
                if (_config.ResourceMetricsKeyAttributes.Count == 0 || _config.ResourceMetricsKeyAttributes.Contains(kv.Key))
                {
                    key.Append(kv.Key).Append('\u0001').Append(kv.Value?.ToString()).Append('\u0002');
                }
            }
        }

        string id = key.ToString();
        if (!_resources.TryGetValue(id, out var state))
        {
            _resources[id] = state = new ResourceState(resource?.Clone() ?? new Resource());
        }

        return state;
    }

    private void Record(ResourceState resource, string serviceName, Resource? res, InstrumentationScope? scope, Span span, StringBuilder key)
    {
        var attributes = BaseAttributes(serviceName, span, scope, _config.Dimensions.Count);
        foreach (var (name, def) in _config.Dimensions)
        {
            AddDimension(attributes, name, def, span.Attributes, null, res?.Attributes);
        }

        double ns = span.EndTimeUnixNano >= span.StartTimeUnixNano ? span.EndTimeUnixNano - span.StartTimeUnixNano : 0;
        double value = _config.HistogramUnit == "ms" ? ns / 1e6 : ns / 1e9;
        var series = SeriesFor(resource.Series, attributes, key, withBuckets: true);
        series.Calls++;
        series.Sum += value;
        if (series.Exponential is { } exponential)
        {
            exponential.Observe(value);
        }
        else
        {
            int bucket = 0;
            while (bucket < _bounds.Length && value > _bounds[bucket])
            {
                bucket++;
            }

            series.BucketCounts[bucket]++;
        }

        AddExemplar(series, span, value);
        if (!_config.EventsEnabled)
        {
            return;
        }

        foreach (var spanEvent in span.Events)
        {
            var eventAttributes = BaseAttributes(serviceName, span, scope, _config.Dimensions.Count + _config.EventDimensions.Count);
            foreach (var (name, def) in _config.Dimensions)
            {
                AddDimension(eventAttributes, name, def, span.Attributes, spanEvent.Attributes, res?.Attributes);
            }

            foreach (var (name, def) in _config.EventDimensions)
            {
                AddDimension(eventAttributes, name, def, span.Attributes, spanEvent.Attributes, res?.Attributes);
            }

            var events = SeriesFor(resource.Events, eventAttributes, key, withBuckets: false);
            events.Calls++;
            AddExemplar(events, span, value);
        }
    }

    private List<KeyValue> BaseAttributes(string serviceName, Span span, InstrumentationScope? scope, int extra)
    {
        var attributes = new List<KeyValue>(6 + extra);
        if (!_excludeServiceName)
        {
            attributes.Add(Str("service.name", serviceName));
        }

        if (!_excludeSpanName)
        {
            attributes.Add(Str("span.name", span.Name));
        }

        if (!_excludeSpanKind)
        {
            attributes.Add(Str("span.kind", KindName(span.Kind)));
        }

        if (!_excludeStatusCode)
        {
            attributes.Add(Str("status.code", StatusName(span.Status?.Code ?? Status.Types.StatusCode.Unset)));
        }

        if (scope is not null)
        {
            attributes.Add(Str("span.instrumentation.scope.name", scope.Name));
            if (scope.Version.Length > 0)
            {
                attributes.Add(Str("span.instrumentation.scope.version", scope.Version));
            }
        }

        return attributes;
    }

    /// <summary>Adds a dimension from the first source that has it (span, then event, then resource), else its default.</summary>
    private static void AddDimension(List<KeyValue> attributes, string name, string? def, Google.Protobuf.Collections.RepeatedField<KeyValue> span, Google.Protobuf.Collections.RepeatedField<KeyValue>? spanEvent, Google.Protobuf.Collections.RepeatedField<KeyValue>? resource)
    {
        var found = Find(span, name) ?? Find(spanEvent, name) ?? Find(resource, name);
        if (found is not null)
        {
            attributes.Add(new KeyValue { Key = name, Value = found.Clone() });
        }
        else if (def is not null)
        {
            attributes.Add(Str(name, def));
        }
    }

    private SeriesState SeriesFor(Dictionary<string, SeriesState> all, List<KeyValue> attributes, StringBuilder key, bool withBuckets)
    {
        key.Clear();
        foreach (var kv in attributes)
        {
            key.Append(kv.Key).Append('\u0001').Append(kv.Value.ToString()).Append('\u0002');
        }

        string id = key.ToString();
        if (all.TryGetValue(id, out var series))
        {
            return series;
        }

        if (_config.AggregationCardinalityLimit > 0 && all.Count >= _config.AggregationCardinalityLimit)
        {
            id = OverflowKey;
            if (all.TryGetValue(id, out series))
            {
                return series;
            }

            attributes = [new KeyValue { Key = "otel.metric.overflow", Value = new AnyValue { BoolValue = true } }];
        }

        series = new SeriesState(attributes, withBuckets && _config.ExponentialMaxSize is null ? _bounds.Length + 1 : 0, _delta ? _lastFlushNs : NowNs())
        {
            Exponential = withBuckets && _config.ExponentialMaxSize is { } maxSize ? new ExponentialBuckets(maxSize) : null,
        };
        all[id] = series;
        return series;
    }

    private void AddExemplar(SeriesState series, Span span, double value)
    {
        if (!_config.ExemplarsEnabled || span.TraceId.IsEmpty || IsZero(span.TraceId))
        {
            return;
        }

        series.Exemplars ??= [];
        if (_config.ExemplarsMaxPerDataPoint is { } max && series.Exemplars.Count >= max)
        {
            return;
        }

        series.Exemplars.Add(new Exemplar { TraceId = span.TraceId, SpanId = span.SpanId, AsDouble = value });
    }

    private static bool IsZero(Google.Protobuf.ByteString id)
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

    private ulong NowNs() => (ulong)(_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;

    private static KeyValue Str(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static AnyValue? Find(Google.Protobuf.Collections.RepeatedField<KeyValue>? attributes, string key)
    {
        if (attributes is null)
        {
            return null;
        }

        foreach (var kv in attributes)
        {
            if (kv.Key == key)
            {
                return kv.Value;
            }
        }

        return null;
    }

    private static string? FindString(Google.Protobuf.Collections.RepeatedField<KeyValue>? attributes, string key) =>
        Find(attributes, key) is { ValueCase: AnyValue.ValueOneofCase.StringValue } v ? v.StringValue : null;

    private static string KindName(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Internal => "SPAN_KIND_INTERNAL",
        Span.Types.SpanKind.Server => "SPAN_KIND_SERVER",
        Span.Types.SpanKind.Client => "SPAN_KIND_CLIENT",
        Span.Types.SpanKind.Producer => "SPAN_KIND_PRODUCER",
        Span.Types.SpanKind.Consumer => "SPAN_KIND_CONSUMER",
        _ => "SPAN_KIND_UNSPECIFIED",
    };

    private static string StatusName(Status.Types.StatusCode code) => code switch
    {
        Status.Types.StatusCode.Ok => "STATUS_CODE_OK",
        Status.Types.StatusCode.Error => "STATUS_CODE_ERROR",
        _ => "STATUS_CODE_UNSET",
    };

    private sealed class ResourceState(Resource resource)
    {
        public Resource Resource { get; } = resource;

        public Dictionary<string, SeriesState> Series { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, SeriesState> Events { get; } = new(StringComparer.Ordinal);

        /// <summary>When a span of this resource was last counted (for metrics_expiration).</summary>
        public ulong LastSeenNs { get; set; }
    }

    private sealed class SeriesState(List<KeyValue> attributes, int buckets, ulong startNs)
    {
        public List<KeyValue> Attributes { get; } = attributes;

        public long[] BucketCounts { get; } = new long[buckets];

        public ulong StartNs { get; } = startNs;

        public long Calls { get; set; }

        public double Sum { get; set; }

        /// <summary>The exponential histogram, when <c>histogram::exponential</c> is configured.</summary>
        public ExponentialBuckets? Exponential { get; init; }

        /// <summary>This interval's exemplars, or null.</summary>
        public List<Exemplar>? Exemplars { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Failed to emit span metrics: {Reason}.")]
        public static partial void FlushFailed(ILogger logger, string reason);
    }
}
