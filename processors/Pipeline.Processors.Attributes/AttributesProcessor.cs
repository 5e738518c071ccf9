using Pipeline.Abstractions;
using Pipeline.Processors.Common;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Attributes;

/// <summary>Applies the configured actions to the attributes of every span, log record or data point selected by
/// include/exclude (include checked first), then passes the batch on.</summary>
/// <typeparam name="T">The batch type.</typeparam>
internal sealed class AttributesProcessor<T> : IProcessor<T>
    where T : TelemetryData
{
    private readonly AttributeActions _actions;
    private readonly PropertiesMatcher? _include;
    private readonly PropertiesMatcher? _exclude;
    private readonly IConsumer<T> _next;
    private readonly ProcessorObsReport _obs;

    public AttributesProcessor(ComponentSettings settings, Signal signal, AttributeActions actions, PropertiesMatcher? include, PropertiesMatcher? exclude, IConsumer<T> next)
    {
        _actions = actions;
        _include = include;
        _exclude = exclude;
        _next = next;
        _obs = new ProcessorObsReport(settings, signal);
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
        int items = data.ItemCount;
        _obs.Incoming(items);
        switch (data)
        {
            case Traces traces:
                ProcessTraces(traces);
                break;
            case Logs logs:
                ProcessLogs(logs);
                break;
            case Metrics metrics:
                ProcessMetrics(metrics);
                break;
        }

        _obs.Outgoing(items);
        return _next.ConsumeAsync(data, cancellationToken);
    }

    private void ProcessTraces(Traces traces)
    {
        var client = traces.Client;
        foreach (var rs in traces.GetMutableRequest().ResourceSpans)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    if ((_include is not null && !_include.MatchSpan(rs.Resource, ss.Scope, span))
                        || (_exclude is not null && _exclude.MatchSpan(rs.Resource, ss.Scope, span)))
                    {
                        continue;
                    }

                    _actions.Apply(span.Attributes, client);
                }
            }
        }
    }

    private void ProcessLogs(Logs logs)
    {
        var client = logs.Client;
        foreach (var rl in logs.GetMutableRequest().ResourceLogs)
        {
            foreach (var sl in rl.ScopeLogs)
            {
                foreach (var record in sl.LogRecords)
                {
                    if ((_include is not null && !_include.MatchLog(rl.Resource, sl.Scope, record))
                        || (_exclude is not null && _exclude.MatchLog(rl.Resource, sl.Scope, record)))
                    {
                        continue;
                    }

                    _actions.Apply(record.Attributes, client);
                }
            }
        }
    }

    private void ProcessMetrics(Metrics metrics)
    {
        var client = metrics.Client;
        foreach (var rm in metrics.GetMutableRequest().ResourceMetrics)
        {
            foreach (var sm in rm.ScopeMetrics)
            {
                foreach (var metric in sm.Metrics)
                {
                    if ((_include is not null && !_include.MatchMetric(rm.Resource, metric))
                        || (_exclude is not null && _exclude.MatchMetric(rm.Resource, metric)))
                    {
                        continue;
                    }

                    ApplyToPoints(metric, client);
                }
            }
        }
    }

    private void ApplyToPoints(OpenTelemetry.Proto.Metrics.V1.Metric metric, ClientInfo client)
    {
        switch (metric.DataCase)
        {
            case OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Gauge:
                foreach (var p in metric.Gauge.DataPoints)
                {
                    _actions.Apply(p.Attributes, client);
                }

                break;
            case OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Sum:
                foreach (var p in metric.Sum.DataPoints)
                {
                    _actions.Apply(p.Attributes, client);
                }

                break;
            case OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Histogram:
                foreach (var p in metric.Histogram.DataPoints)
                {
                    _actions.Apply(p.Attributes, client);
                }

                break;
            case OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.ExponentialHistogram:
                foreach (var p in metric.ExponentialHistogram.DataPoints)
                {
                    _actions.Apply(p.Attributes, client);
                }

                break;
            case OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Summary:
                foreach (var p in metric.Summary.DataPoints)
                {
                    _actions.Apply(p.Attributes, client);
                }

                break;
        }
    }
}
