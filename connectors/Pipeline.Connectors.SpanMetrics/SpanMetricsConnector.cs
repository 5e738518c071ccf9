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
/// Aggregates spans into <c>{namespace}.calls</c> (monotonic sum) and <c>{namespace}.duration</c> (explicit-bucket
/// histogram) per resource and per (service.name, span.name, span.kind, status.code, configured dimensions), and emits
/// them every <c>metrics_flush_interval</c> and at shutdown.
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
            foreach (var rs in request.ResourceSpans)
            {
                var resource = ResourceFor(rs.Resource, key);
                string serviceName = FindString(rs.Resource?.Attributes, "service.name") ?? string.Empty;
                foreach (var ss in rs.ScopeSpans)
                {
                    foreach (var span in ss.Spans)
                    {
                        Record(resource, serviceName, rs.Resource, span, key);
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
        lock (_gate)
        {
            foreach (var resource in _resources.Values)
            {
                if (resource.Series.Count == 0)
                {
                    continue;
                }

                var temporality = _delta ? OpenTelemetry.Proto.Metrics.V1.AggregationTemporality.Delta : OpenTelemetry.Proto.Metrics.V1.AggregationTemporality.Cumulative;
                var calls = new Sum { AggregationTemporality = temporality, IsMonotonic = true };
                var duration = new Histogram { AggregationTemporality = temporality };
                foreach (var series in resource.Series.Values)
                {
                    ulong start = _delta ? _lastFlushNs : series.StartNs;
                    var callPoint = new NumberDataPoint { StartTimeUnixNano = start, TimeUnixNano = now, AsInt = series.Calls };
                    callPoint.Attributes.Add(series.Attributes);
                    calls.DataPoints.Add(callPoint);
                    if (!_config.HistogramDisabled)
                    {
                        var histogramPoint = new HistogramDataPoint { StartTimeUnixNano = start, TimeUnixNano = now, Count = (ulong)series.Calls, Sum = series.Sum };
                        histogramPoint.Attributes.Add(series.Attributes);
                        histogramPoint.ExplicitBounds.Add(_bounds);
                        foreach (long c in series.BucketCounts)
                        {
                            histogramPoint.BucketCounts.Add((ulong)c);
                        }

                        duration.DataPoints.Add(histogramPoint);
                    }
                }

                var scope = new ScopeMetrics { Scope = new InstrumentationScope { Name = "spanmetricsconnector" } };
                scope.Metrics.Add(new Metric { Name = _config.Namespace.Length > 0 ? _config.Namespace + ".calls" : "calls", Unit = "{call}", Sum = calls });
                if (!_config.HistogramDisabled)
                {
                    scope.Metrics.Add(new Metric { Name = _config.Namespace.Length > 0 ? _config.Namespace + ".duration" : "duration", Unit = _config.HistogramUnit, Histogram = duration });
                }

                var rm = new ResourceMetrics { Resource = resource.Resource.Clone() };
                rm.ScopeMetrics.Add(scope);
                request.ResourceMetrics.Add(rm);
                if (_delta)
                {
                    resource.Series.Clear();
                }
            }

            _lastFlushNs = now;
        }

        return request.ResourceMetrics.Count == 0 ? null : request;
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

    private void Record(ResourceState resource, string serviceName, Resource? res, Span span, StringBuilder key)
    {
        var attributes = new List<KeyValue>(4 + _config.Dimensions.Count);
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

        foreach (var (name, def) in _config.Dimensions)
        {
            var found = Find(span.Attributes, name) ?? Find(res?.Attributes, name);
            if (found is not null)
            {
                attributes.Add(new KeyValue { Key = name, Value = found.Clone() });
            }
            else if (def is not null)
            {
                attributes.Add(Str(name, def));
            }
        }

        key.Clear();
        foreach (var kv in attributes)
        {
            key.Append(kv.Key).Append('\u0001').Append(kv.Value.ToString()).Append('\u0002');
        }

        string id = key.ToString();
        if (!resource.Series.TryGetValue(id, out var series))
        {
            if (_config.AggregationCardinalityLimit > 0 && resource.Series.Count >= _config.AggregationCardinalityLimit)
            {
                if (!resource.Series.TryGetValue(OverflowKey, out series))
                {
                    var overflow = new List<KeyValue> { new() { Key = "otel.metric.overflow", Value = new AnyValue { BoolValue = true } } };
                    resource.Series[OverflowKey] = series = new SeriesState(overflow, _bounds.Length + 1, _delta ? _lastFlushNs : NowNs());
                }
            }
            else
            {
                resource.Series[id] = series = new SeriesState(attributes, _bounds.Length + 1, _delta ? _lastFlushNs : NowNs());
            }
        }

        double ns = span.EndTimeUnixNano >= span.StartTimeUnixNano ? span.EndTimeUnixNano - span.StartTimeUnixNano : 0;
        double value = _config.HistogramUnit == "ms" ? ns / 1e6 : ns / 1e9;
        series.Calls++;
        series.Sum += value;
        int bucket = 0;
        while (bucket < _bounds.Length && value > _bounds[bucket])
        {
            bucket++;
        }

        series.BucketCounts[bucket]++;
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
    }

    private sealed class SeriesState(List<KeyValue> attributes, int buckets, ulong startNs)
    {
        public List<KeyValue> Attributes { get; } = attributes;

        public long[] BucketCounts { get; } = new long[buckets];

        public ulong StartNs { get; } = startNs;

        public long Calls { get; set; }

        public double Sum { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Failed to emit span metrics: {Reason}.")]
        public static partial void FlushFailed(ILogger logger, string reason);
    }
}
