using Google.Protobuf;
using Google.Protobuf.Collections;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Metrics.V1;
using Pipeline.Abstractions;
using Pipeline.Processors.Ottl;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Filter;

/// <summary>Drops spans, span events, metrics, data points and log records for which any condition is true, then
/// removes scopes and resources left empty. When nothing is left the batch is not passed on (otelcol's
/// <c>ErrSkipProcessingData</c>).</summary>
/// <typeparam name="T">The batch type.</typeparam>
internal sealed partial class FilterProcessor<T> : IProcessor<T>
    where T : TelemetryData
{
    private readonly FilterPlan _plan;
    private readonly IConsumer<T> _next;
    private readonly ProcessorObsReport _obs;
    private readonly System.Diagnostics.Metrics.Counter<long> _filtered;
    private readonly KeyValuePair<string, object?>[] _filterTag;
    private readonly ILogger _logger;

    public FilterProcessor(ComponentSettings settings, Signal signal, FilterPlan plan, IConsumer<T> next)
    {
        _plan = plan;
        _next = next;
        _obs = new ProcessorObsReport(settings, signal);

        // otelcol's filterprocessor telemetry: otelcol_processor_filter_{spans,datapoints,logs}.filtered, tagged filter=<id>.
        string what = signal switch
        {
            Signal.Traces => "spans",
            Signal.Metrics => "datapoints",
            _ => "logs",
        };
        _filtered = settings.Meter.CreateCounter<long>("otelcol_processor_filter_" + what + ".filtered", "1", "Number of " + (signal == Signal.Metrics ? "metric data points" : what) + " dropped by the filter processor");
        _filterTag = [new("filter", settings.Id.ToString())];
        _logger = settings.Logger;
    }

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.Mutating;

    /// <inheritdoc />
    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    /// <exception cref="PermanentException">A condition failed to evaluate and its error mode is propagate.</exception>
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        int incoming = data.ItemCount;
        _obs.Incoming(incoming);
        var state = new EvalState();
        switch (data)
        {
            case Traces traces:
                FilterTraces(traces, state);
                break;
            case Metrics metrics:
                FilterMetrics(metrics, state);
                break;
            case Logs logs:
                FilterLogs(logs, state);
                break;
        }

        if (state.IgnoredErrors > 0)
        {
            Log.IgnoredErrors(_logger, state.IgnoredErrors, state.FirstError!);
        }

        int remaining = data.ItemCount;
        _obs.Outgoing(remaining);
        if (incoming > remaining)
        {
            _filtered.Add(incoming - remaining, _filterTag);
        }

        return remaining == 0 ? ValueTask.CompletedTask : _next.ConsumeAsync(data, cancellationToken);
    }

    private static bool AnyTrue(FilterRule[] rules, EvalState state)
    {
        foreach (var rule in rules)
        {
            try
            {
                if (rule.Condition.Evaluate(state.Item))
                {
                    return true;
                }
            }
            catch (OttlEvaluationException e)
            {
                switch (rule.Mode)
                {
                    case ErrorMode.Propagate:
                        throw new PermanentException($"failed to eval condition: {rule.Condition.Text}, {e.Message}", e);
                    case ErrorMode.Ignore:
                        state.IgnoredErrors++;
                        state.FirstError ??= $"failed to eval condition: {rule.Condition.Text}, {e.Message}";
                        break;
                }
            }
        }

        return false;
    }

    private void FilterTraces(Traces traces, EvalState state)
    {
        var plan = _plan;
        if (plan.TraceResource.Length == 0 && plan.TraceScope.Length == 0 && plan.Span.Length == 0
            && plan.SpanEvent.Length == 0 && plan.SpanInclude is null && plan.SpanExclude is null)
        {
            return;
        }

        var item = state.Item;
        var resources = traces.GetMutableRequest().ResourceSpans;
        int keptResources = 0;
        for (int r = 0; r < resources.Count; r++)
        {
            var rs = resources[r];
            item.Resource = rs.Resource;
            item.Scope = null;
            item.Span = null;
            item.SpanEvent = null;
            if (AnyTrue(plan.TraceResource, state))
            {
                continue;
            }

            var scopes = rs.ScopeSpans;
            int keptScopes = 0;
            for (int s = 0; s < scopes.Count; s++)
            {
                var ss = scopes[s];
                item.Scope = ss.Scope;
                item.Span = null;
                if (AnyTrue(plan.TraceScope, state))
                {
                    continue;
                }

                var spans = ss.Spans;
                int keptSpans = 0;
                for (int i = 0; i < spans.Count; i++)
                {
                    var span = spans[i];
                    item.Span = span;
                    item.SpanEvent = null;
                    if ((plan.SpanInclude is not null && !plan.SpanInclude.MatchSpan(rs.Resource, ss.Scope, span))
                        || (plan.SpanExclude is not null && plan.SpanExclude.MatchSpan(rs.Resource, ss.Scope, span))
                        || AnyTrue(plan.Span, state))
                    {
                        continue;
                    }

                    if (plan.SpanEvent.Length > 0)
                    {
                        var events = span.Events;
                        int keptEvents = 0;
                        for (int e = 0; e < events.Count; e++)
                        {
                            item.SpanEvent = events[e];
                            if (!AnyTrue(plan.SpanEvent, state))
                            {
                                events[keptEvents++] = events[e];
                            }
                        }

                        Truncate(events, keptEvents);
                        item.SpanEvent = null;
                    }

                    spans[keptSpans++] = span;
                }

                Truncate(spans, keptSpans);
                if (keptSpans > 0)
                {
                    scopes[keptScopes++] = ss;
                }
            }

            Truncate(scopes, keptScopes);
            if (keptScopes > 0)
            {
                resources[keptResources++] = rs;
            }
        }

        Truncate(resources, keptResources);
    }

    private void FilterLogs(Logs logs, EvalState state)
    {
        var plan = _plan;
        if (plan.LogResource.Length == 0 && plan.LogScope.Length == 0 && plan.Log.Length == 0
            && plan.LogInclude is null && plan.LogExclude is null)
        {
            return;
        }

        var item = state.Item;
        var resources = logs.GetMutableRequest().ResourceLogs;
        int keptResources = 0;
        for (int r = 0; r < resources.Count; r++)
        {
            var rl = resources[r];
            item.Resource = rl.Resource;
            item.Scope = null;
            item.Log = null;
            if (AnyTrue(plan.LogResource, state))
            {
                continue;
            }

            var scopes = rl.ScopeLogs;
            int keptScopes = 0;
            for (int s = 0; s < scopes.Count; s++)
            {
                var sl = scopes[s];
                item.Scope = sl.Scope;
                item.Log = null;
                if (AnyTrue(plan.LogScope, state))
                {
                    continue;
                }

                var records = sl.LogRecords;
                int kept = 0;
                for (int i = 0; i < records.Count; i++)
                {
                    var record = records[i];
                    item.Log = record;
                    if ((plan.LogInclude is not null && !plan.LogInclude.MatchLog(rl.Resource, record))
                        || (plan.LogExclude is not null && plan.LogExclude.MatchLog(rl.Resource, record))
                        || AnyTrue(plan.Log, state))
                    {
                        continue;
                    }

                    records[kept++] = record;
                }

                Truncate(records, kept);
                if (kept > 0)
                {
                    scopes[keptScopes++] = sl;
                }
            }

            Truncate(scopes, keptScopes);
            if (keptScopes > 0)
            {
                resources[keptResources++] = rl;
            }
        }

        Truncate(resources, keptResources);
    }

    private void FilterMetrics(Metrics metrics, EvalState state)
    {
        var plan = _plan;
        if (plan.MetricResource.Length == 0 && plan.MetricScope.Length == 0 && plan.Metric.Length == 0
            && plan.DataPoint.Length == 0 && plan.MetricInclude is null && plan.MetricExclude is null)
        {
            return;
        }

        var item = state.Item;
        var resources = metrics.GetMutableRequest().ResourceMetrics;
        int keptResources = 0;
        for (int r = 0; r < resources.Count; r++)
        {
            var rm = resources[r];
            item.Resource = rm.Resource;
            item.Scope = null;
            item.Metric = null;
            item.DataPoint = null;
            if (AnyTrue(plan.MetricResource, state))
            {
                continue;
            }

            var scopes = rm.ScopeMetrics;
            int keptScopes = 0;
            for (int s = 0; s < scopes.Count; s++)
            {
                var sm = scopes[s];
                item.Scope = sm.Scope;
                item.Metric = null;
                if (AnyTrue(plan.MetricScope, state))
                {
                    continue;
                }

                var list = sm.Metrics;
                int kept = 0;
                for (int i = 0; i < list.Count; i++)
                {
                    var metric = list[i];
                    item.Metric = metric;
                    item.DataPoint = null;
                    if ((plan.MetricInclude is not null && !plan.MetricInclude.MatchMetric(rm.Resource, metric))
                        || (plan.MetricExclude is not null && plan.MetricExclude.MatchMetric(rm.Resource, metric))
                        || AnyTrue(plan.Metric, state))
                    {
                        continue;
                    }

                    if (plan.DataPoint.Length > 0 && FilterPoints(metric, state) == 0)
                    {
                        continue;
                    }

                    list[kept++] = metric;
                }

                Truncate(list, kept);
                if (kept > 0)
                {
                    scopes[keptScopes++] = sm;
                }
            }

            Truncate(scopes, keptScopes);
            if (keptScopes > 0)
            {
                resources[keptResources++] = rm;
            }
        }

        Truncate(resources, keptResources);
    }

    /// <summary>Drops matching data points; returns how many are left.</summary>
    private int FilterPoints(Metric metric, EvalState state) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => FilterPoints(metric.Gauge.DataPoints, state),
        Metric.DataOneofCase.Sum => FilterPoints(metric.Sum.DataPoints, state),
        Metric.DataOneofCase.Histogram => FilterPoints(metric.Histogram.DataPoints, state),
        Metric.DataOneofCase.ExponentialHistogram => FilterPoints(metric.ExponentialHistogram.DataPoints, state),
        Metric.DataOneofCase.Summary => FilterPoints(metric.Summary.DataPoints, state),
        _ => 0,
    };

    private int FilterPoints<TPoint>(RepeatedField<TPoint> points, EvalState state)
        where TPoint : IMessage
    {
        int kept = 0;
        for (int i = 0; i < points.Count; i++)
        {
            state.Item.DataPoint = points[i];
            if (!AnyTrue(_plan.DataPoint, state))
            {
                points[kept++] = points[i];
            }
        }

        state.Item.DataPoint = null;
        Truncate(points, kept);
        return kept;
    }

    private static void Truncate<TItem>(RepeatedField<TItem> list, int count)
    {
        for (int i = list.Count - 1; i >= count; i--)
        {
            list.RemoveAt(i);
        }
    }

    /// <summary>Per-batch evaluation state: the reused item holder and the errors ignored.</summary>
    private sealed class EvalState
    {
        public OttlItem Item { get; } = new();

        public int IgnoredErrors { get; set; }

        public string? FirstError { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Count} condition evaluations failed and were treated as false (error_mode ignore); first: {Error}.")]
        public static partial void IgnoredErrors(ILogger logger, int count, string error);
    }
}
