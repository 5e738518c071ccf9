using Pipeline.Abstractions;
using Pipeline.Processors.Common;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Resource;

/// <summary>Applies the configured actions to the attributes of every resource in a batch, then passes it on.</summary>
/// <typeparam name="T">The batch type.</typeparam>
internal sealed class ResourceProcessor<T> : IProcessor<T>
    where T : TelemetryData
{
    private readonly AttributeActions _actions;
    private readonly IConsumer<T> _next;
    private readonly ProcessorObsReport _obs;

    public ResourceProcessor(ComponentSettings settings, AttributeActions actions, IConsumer<T> next)
    {
        _actions = actions;
        _next = next;
        _obs = new ProcessorObsReport(settings, SignalOf());
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
                foreach (var rs in traces.GetMutableRequest().ResourceSpans)
                {
                    _actions.Apply((rs.Resource ??= new()).Attributes, data.Client);
                }

                break;
            case Metrics metrics:
                foreach (var rm in metrics.GetMutableRequest().ResourceMetrics)
                {
                    _actions.Apply((rm.Resource ??= new()).Attributes, data.Client);
                }

                break;
            case Logs logs:
                foreach (var rl in logs.GetMutableRequest().ResourceLogs)
                {
                    _actions.Apply((rl.Resource ??= new()).Attributes, data.Client);
                }

                break;
        }

        _obs.Outgoing(items);
        return _next.ConsumeAsync(data, cancellationToken);
    }

    private static Signal SignalOf() =>
        typeof(T) == typeof(Traces) ? Signal.Traces
        : typeof(T) == typeof(Metrics) ? Signal.Metrics
        : typeof(T) == typeof(Logs) ? Signal.Logs
        : throw new NotSupportedException($"The resource processor does not support {typeof(T).Name}.");
}
