using Google.Protobuf;
using Google.Protobuf.Collections;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Processors.Ottl;
using Pipeline.Telemetry;

namespace Pipeline.Connectors.Routing;

/// <summary>
/// Routes each item of a batch to the pipelines of the first route that matches it (otelcol since v0.120, where
/// <c>match_once</c> is gone): routes are tried in table order, and what a route matches is taken out of the batch,
/// so later routes and the default see only the rest. A route in the resource context moves whole resources, span
/// and log routes single spans and log records (with copies of their resource and scope), metric routes whole
/// metrics and datapoint routes single data points (with a copy of the metric's descriptor); a request route moves
/// everything left. Routes whose context the signal does not have (a log route on traces) never match. What no
/// route matches goes to <c>default_pipelines</c>, or is dropped when there are none. Then each group is sent once.
/// </summary>
/// <typeparam name="T">The batch type (same signal in and out).</typeparam>
internal sealed partial class RoutingConnector<T> : IConnector<T>
    where T : TelemetryData
{
    private readonly CompiledRoute[] _routes;
    private readonly IConsumer<T>[] _consumers;
    private readonly IConsumer<T>? _default;
    private readonly RoutingErrorMode _errorMode;
    private readonly ILogger _logger;

    public RoutingConnector(CompiledRoute[] routes, IConsumer<T>[] consumers, IConsumer<T>? defaultConsumer, RoutingErrorMode errorMode, ILogger logger)
    {
        _routes = routes;
        _consumers = consumers;
        _default = defaultConsumer;
        _errorMode = errorMode;
        _logger = logger;
    }

    /// <summary>The routing takes the batch apart, so it needs a batch of its own.</summary>
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.Mutating;

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    /// <exception cref="PermanentException">A condition failed to evaluate and error_mode is propagate (nothing is
    /// routed then).</exception>
    public async ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);

        // A pipeline's entry declares only its processors' capabilities, so a batch shared by several pipelines can
        // reach the connector read-only when it is the pipeline's only exporter: take it apart on a copy then.
        if (data.IsReadOnly)
        {
            data = DataCloner.Clone(data);
        }

        // Client metadata of the request (request context): present when the receiver has include_metadata: true and
        // no batch processor without metadata_keys dropped it on the way. Every routed part keeps the request's client.
        ClientInfo client = data.Client;
        IReadOnlyDictionary<string, IReadOnlyList<string>>? metadata = client.Metadata.Count == 0 ? null : client.Metadata;
        var state = new EvalState(_errorMode);
        var batches = new T?[_routes.Length + 1];
        switch (data)
        {
            case Traces traces:
                RouteTraces(traces.GetMutableRequest(), metadata, state, batches);
                break;
            case Metrics metrics:
                RouteMetrics(metrics.GetMutableRequest(), metadata, state, batches);
                break;
            case Logs logs:
                RouteLogs(logs.GetMutableRequest(), metadata, state, batches);
                break;
        }

        if (state.IgnoredErrors > 0 && _errorMode == RoutingErrorMode.Ignore)
        {
            Log.IgnoredErrors(_logger, state.IgnoredErrors, state.FirstError!);
        }

        List<Exception>? errors = null;
        for (int i = 0; i < batches.Length; i++)
        {
            var consumer = i < _routes.Length ? _consumers[i] : _default;
            if (batches[i] is not { } batch || consumer is null)
            {
                continue;
            }

            if (!client.IsEmpty)
            {
                batch = (T)batch.WithClient(client);
            }

            try
            {
                await consumer.ConsumeAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                (errors ??= []).Add(e);
            }
        }

        if (errors is not null)
        {
            ConsumerErrors.Throw(errors);
        }
    }

    private static T Wrap(TelemetryData data) => (T)data;

    private void RouteTraces(ExportTraceServiceRequest request, IReadOnlyDictionary<string, IReadOnlyList<string>>? metadata, EvalState state, T?[] batches)
    {
        var remaining = request.ResourceSpans;
        var item = state.Item;
        for (int r = 0; r < _routes.Length && remaining.Count > 0; r++)
        {
            var route = _routes[r];
            var matched = new ExportTraceServiceRequest();
            switch (route.Context)
            {
                case RouteContext.Request:
                    if (route.Request!.Matches(metadata))
                    {
                        matched.ResourceSpans.Add(remaining);
                        remaining.Clear();
                    }

                    break;
                case RouteContext.Resource:
                    int keptResources = 0;
                    for (int i = 0; i < remaining.Count; i++)
                    {
                        var rs = remaining[i];
                        item.Resource = rs.Resource;
                        if (state.Evaluate(route.Condition!))
                        {
                            matched.ResourceSpans.Add(rs);
                        }
                        else
                        {
                            remaining[keptResources++] = rs;
                        }
                    }

                    Truncate(remaining, keptResources);
                    break;
                case RouteContext.Span:
                    MoveSpans(remaining, route.Condition!, state, matched.ResourceSpans);
                    break;
            }

            Reset(item);
            if (matched.ResourceSpans.Count > 0)
            {
                batches[r] = Wrap(Traces.FromRequest(matched));
            }
        }

        if (remaining.Count > 0)
        {
            batches[_routes.Length] = Wrap(Traces.FromRequest(request));
        }
    }

    private static void MoveSpans(RepeatedField<ResourceSpans> resources, OttlCondition condition, EvalState state, RepeatedField<ResourceSpans> target)
    {
        var item = state.Item;
        int keptResources = 0;
        for (int r = 0; r < resources.Count; r++)
        {
            var rs = resources[r];
            item.Resource = rs.Resource;
            ResourceSpans? movedResource = null;
            int keptScopes = 0;
            for (int s = 0; s < rs.ScopeSpans.Count; s++)
            {
                var ss = rs.ScopeSpans[s];
                item.Scope = ss.Scope;
                ScopeSpans? movedScope = null;
                var spans = ss.Spans;
                int kept = 0;
                for (int i = 0; i < spans.Count; i++)
                {
                    item.Span = spans[i];
                    if (state.Evaluate(condition))
                    {
                        if (movedScope is null)
                        {
                            movedScope = new ScopeSpans { Scope = ss.Scope?.Clone(), SchemaUrl = ss.SchemaUrl };
                            movedResource ??= new ResourceSpans { Resource = rs.Resource?.Clone(), SchemaUrl = rs.SchemaUrl };
                            movedResource.ScopeSpans.Add(movedScope);
                        }

                        movedScope.Spans.Add(spans[i]);
                    }
                    else
                    {
                        spans[kept++] = spans[i];
                    }
                }

                Truncate(spans, kept);
                if (kept > 0 || movedScope is null)
                {
                    rs.ScopeSpans[keptScopes++] = ss;
                }
            }

            Truncate(rs.ScopeSpans, keptScopes);
            if (movedResource is not null)
            {
                target.Add(movedResource);
            }

            if (keptScopes > 0 || movedResource is null)
            {
                resources[keptResources++] = rs;
            }
        }

        Truncate(resources, keptResources);
    }

    private void RouteLogs(ExportLogsServiceRequest request, IReadOnlyDictionary<string, IReadOnlyList<string>>? metadata, EvalState state, T?[] batches)
    {
        var remaining = request.ResourceLogs;
        var item = state.Item;
        for (int r = 0; r < _routes.Length && remaining.Count > 0; r++)
        {
            var route = _routes[r];
            var matched = new ExportLogsServiceRequest();
            switch (route.Context)
            {
                case RouteContext.Request:
                    if (route.Request!.Matches(metadata))
                    {
                        matched.ResourceLogs.Add(remaining);
                        remaining.Clear();
                    }

                    break;
                case RouteContext.Resource:
                    int keptResources = 0;
                    for (int i = 0; i < remaining.Count; i++)
                    {
                        var rl = remaining[i];
                        item.Resource = rl.Resource;
                        if (state.Evaluate(route.Condition!))
                        {
                            matched.ResourceLogs.Add(rl);
                        }
                        else
                        {
                            remaining[keptResources++] = rl;
                        }
                    }

                    Truncate(remaining, keptResources);
                    break;
                case RouteContext.Log:
                    MoveLogs(remaining, route.Condition!, state, matched.ResourceLogs);
                    break;
            }

            Reset(item);
            if (matched.ResourceLogs.Count > 0)
            {
                batches[r] = Wrap(Logs.FromRequest(matched));
            }
        }

        if (remaining.Count > 0)
        {
            batches[_routes.Length] = Wrap(Logs.FromRequest(request));
        }
    }

    private static void MoveLogs(RepeatedField<ResourceLogs> resources, OttlCondition condition, EvalState state, RepeatedField<ResourceLogs> target)
    {
        var item = state.Item;
        int keptResources = 0;
        for (int r = 0; r < resources.Count; r++)
        {
            var rl = resources[r];
            item.Resource = rl.Resource;
            ResourceLogs? movedResource = null;
            int keptScopes = 0;
            for (int s = 0; s < rl.ScopeLogs.Count; s++)
            {
                var sl = rl.ScopeLogs[s];
                item.Scope = sl.Scope;
                ScopeLogs? movedScope = null;
                var records = sl.LogRecords;
                int kept = 0;
                for (int i = 0; i < records.Count; i++)
                {
                    item.Log = records[i];
                    if (state.Evaluate(condition))
                    {
                        if (movedScope is null)
                        {
                            movedScope = new ScopeLogs { Scope = sl.Scope?.Clone(), SchemaUrl = sl.SchemaUrl };
                            movedResource ??= new ResourceLogs { Resource = rl.Resource?.Clone(), SchemaUrl = rl.SchemaUrl };
                            movedResource.ScopeLogs.Add(movedScope);
                        }

                        movedScope.LogRecords.Add(records[i]);
                    }
                    else
                    {
                        records[kept++] = records[i];
                    }
                }

                Truncate(records, kept);
                if (kept > 0 || movedScope is null)
                {
                    rl.ScopeLogs[keptScopes++] = sl;
                }
            }

            Truncate(rl.ScopeLogs, keptScopes);
            if (movedResource is not null)
            {
                target.Add(movedResource);
            }

            if (keptScopes > 0 || movedResource is null)
            {
                resources[keptResources++] = rl;
            }
        }

        Truncate(resources, keptResources);
    }

    private void RouteMetrics(ExportMetricsServiceRequest request, IReadOnlyDictionary<string, IReadOnlyList<string>>? metadata, EvalState state, T?[] batches)
    {
        var remaining = request.ResourceMetrics;
        var item = state.Item;
        for (int r = 0; r < _routes.Length && remaining.Count > 0; r++)
        {
            var route = _routes[r];
            var matched = new ExportMetricsServiceRequest();
            switch (route.Context)
            {
                case RouteContext.Request:
                    if (route.Request!.Matches(metadata))
                    {
                        matched.ResourceMetrics.Add(remaining);
                        remaining.Clear();
                    }

                    break;
                case RouteContext.Resource:
                    int keptResources = 0;
                    for (int i = 0; i < remaining.Count; i++)
                    {
                        var rm = remaining[i];
                        item.Resource = rm.Resource;
                        if (state.Evaluate(route.Condition!))
                        {
                            matched.ResourceMetrics.Add(rm);
                        }
                        else
                        {
                            remaining[keptResources++] = rm;
                        }
                    }

                    Truncate(remaining, keptResources);
                    break;
                case RouteContext.Metric:
                case RouteContext.DataPoint:
                    MoveMetrics(remaining, route.Condition!, route.Context == RouteContext.DataPoint, state, matched.ResourceMetrics);
                    break;
            }

            Reset(item);
            if (matched.ResourceMetrics.Count > 0)
            {
                batches[r] = Wrap(Metrics.FromRequest(matched));
            }
        }

        if (remaining.Count > 0)
        {
            batches[_routes.Length] = Wrap(Metrics.FromRequest(request));
        }
    }

    /// <summary>Moves matching metrics (or, with <paramref name="points"/>, matching data points) into
    /// <paramref name="target"/>; metrics left without data points by a data point move are removed.</summary>
    private static void MoveMetrics(RepeatedField<ResourceMetrics> resources, OttlCondition condition, bool points, EvalState state, RepeatedField<ResourceMetrics> target)
    {
        var item = state.Item;
        int keptResources = 0;
        for (int r = 0; r < resources.Count; r++)
        {
            var rm = resources[r];
            item.Resource = rm.Resource;
            ResourceMetrics? movedResource = null;
            int keptScopes = 0;
            for (int s = 0; s < rm.ScopeMetrics.Count; s++)
            {
                var sm = rm.ScopeMetrics[s];
                item.Scope = sm.Scope;
                ScopeMetrics? movedScope = null;
                var metrics = sm.Metrics;
                int kept = 0;
                for (int i = 0; i < metrics.Count; i++)
                {
                    var metric = metrics[i];
                    item.Metric = metric;
                    item.DataPoint = null;
                    Metric? moved;
                    bool keep;
                    if (points)
                    {
                        moved = MovePoints(metric, condition, state);
                        keep = moved is null || CountPoints(metric) > 0;
                    }
                    else if (state.Evaluate(condition))
                    {
                        moved = metric;
                        keep = false;
                    }
                    else
                    {
                        moved = null;
                        keep = true;
                    }

                    if (moved is not null)
                    {
                        if (movedScope is null)
                        {
                            movedScope = new ScopeMetrics { Scope = sm.Scope?.Clone(), SchemaUrl = sm.SchemaUrl };
                            movedResource ??= new ResourceMetrics { Resource = rm.Resource?.Clone(), SchemaUrl = rm.SchemaUrl };
                            movedResource.ScopeMetrics.Add(movedScope);
                        }

                        movedScope.Metrics.Add(moved);
                    }

                    if (keep)
                    {
                        metrics[kept++] = metric;
                    }
                }

                Truncate(metrics, kept);
                if (kept > 0 || movedScope is null)
                {
                    rm.ScopeMetrics[keptScopes++] = sm;
                }
            }

            Truncate(rm.ScopeMetrics, keptScopes);
            if (movedResource is not null)
            {
                target.Add(movedResource);
            }

            if (keptScopes > 0 || movedResource is null)
            {
                resources[keptResources++] = rm;
            }
        }

        Truncate(resources, keptResources);
    }

    /// <summary>Moves the matching data points of <paramref name="metric"/> into a copy of its descriptor; null when
    /// none match.</summary>
    private static Metric? MovePoints(Metric metric, OttlCondition condition, EvalState state)
    {
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                var gauge = MovePoints(metric.Gauge.DataPoints, condition, state);
                return gauge is null ? null : Shell(metric, new Gauge { DataPoints = { gauge } });
            case Metric.DataOneofCase.Sum:
                var sum = MovePoints(metric.Sum.DataPoints, condition, state);
                return sum is null ? null : Shell(metric, new Sum
                {
                    AggregationTemporality = metric.Sum.AggregationTemporality,
                    IsMonotonic = metric.Sum.IsMonotonic,
                    DataPoints = { sum },
                });
            case Metric.DataOneofCase.Histogram:
                var histogram = MovePoints(metric.Histogram.DataPoints, condition, state);
                return histogram is null ? null : Shell(metric, new Histogram
                {
                    AggregationTemporality = metric.Histogram.AggregationTemporality,
                    DataPoints = { histogram },
                });
            case Metric.DataOneofCase.ExponentialHistogram:
                var exponential = MovePoints(metric.ExponentialHistogram.DataPoints, condition, state);
                return exponential is null ? null : Shell(metric, new ExponentialHistogram
                {
                    AggregationTemporality = metric.ExponentialHistogram.AggregationTemporality,
                    DataPoints = { exponential },
                });
            case Metric.DataOneofCase.Summary:
                var summary = MovePoints(metric.Summary.DataPoints, condition, state);
                return summary is null ? null : Shell(metric, new Summary { DataPoints = { summary } });
            default:
                return null;
        }
    }

    private static List<TPoint>? MovePoints<TPoint>(RepeatedField<TPoint> points, OttlCondition condition, EvalState state)
        where TPoint : IMessage
    {
        List<TPoint>? moved = null;
        int kept = 0;
        for (int i = 0; i < points.Count; i++)
        {
            state.Item.DataPoint = points[i];
            if (state.Evaluate(condition))
            {
                (moved ??= []).Add(points[i]);
            }
            else
            {
                points[kept++] = points[i];
            }
        }

        state.Item.DataPoint = null;
        Truncate(points, kept);
        return moved;
    }

    private static Metric Shell(Metric metric, IMessage data)
    {
        var copy = new Metric { Name = metric.Name, Description = metric.Description, Unit = metric.Unit };
        copy.Metadata.Add(metric.Metadata.Clone());
        switch (data)
        {
            case Gauge g:
                copy.Gauge = g;
                break;
            case Sum s:
                copy.Sum = s;
                break;
            case Histogram h:
                copy.Histogram = h;
                break;
            case ExponentialHistogram e:
                copy.ExponentialHistogram = e;
                break;
            case Summary m:
                copy.Summary = m;
                break;
        }

        return copy;
    }

    private static int CountPoints(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Count,
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Count,
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Count,
        Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Count,
        Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Count,
        _ => 0,
    };

    private static void Reset(OttlItem item)
    {
        item.Resource = null;
        item.Scope = null;
        item.Span = null;
        item.SpanEvent = null;
        item.Metric = null;
        item.DataPoint = null;
        item.Log = null;
    }

    private static void Truncate<TItem>(RepeatedField<TItem> list, int count)
    {
        for (int i = list.Count - 1; i >= count; i--)
        {
            list.RemoveAt(i);
        }
    }

    /// <summary>Per-batch evaluation state: the reused item holder and the errors ignored.</summary>
    private sealed class EvalState(RoutingErrorMode mode)
    {
        public OttlItem Item { get; } = new();

        public int IgnoredErrors { get; private set; }

        public string? FirstError { get; private set; }

        /// <summary>Evaluates; a failure is a miss (ignore, silent) or refuses the batch (propagate).</summary>
        public bool Evaluate(OttlCondition condition)
        {
            try
            {
                return condition.Evaluate(Item);
            }
            catch (OttlEvaluationException e)
            {
                string message = $"failed to eval condition: {condition.Text}, {e.Message}";
                if (mode == RoutingErrorMode.Propagate)
                {
                    throw new PermanentException(message, e);
                }

                IgnoredErrors++;
                FirstError ??= message;
                return false;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Count} routing condition evaluations failed and were treated as no match (error_mode ignore); first: {Error}.")]
        public static partial void IgnoredErrors(ILogger logger, int count, string error);
    }
}
