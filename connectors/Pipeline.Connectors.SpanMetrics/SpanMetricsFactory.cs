using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Connectors.SpanMetrics;

/// <summary>Factory of the <c>spanmetrics</c> connector: traces in, metrics out.</summary>
public sealed class SpanMetricsFactory : IConnectorFactory
{
    /// <inheritdoc />
    public string Type => "spanmetrics";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Connector;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel> { [Signal.Traces] = StabilityLevel.Alpha };

    /// <inheritdoc />
    public IReadOnlyDictionary<(Signal From, Signal To), StabilityLevel> ConnectorStability { get; } =
        new Dictionary<(Signal, Signal), StabilityLevel> { [(Signal.Traces, Signal.Metrics)] = StabilityLevel.Alpha };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new SpanMetricsConfig();

    /// <inheritdoc />
    public IConnector<TIn> CreateConnector<TIn, TOut>(ComponentSettings settings, IComponentConfig config, IReadOnlyDictionary<PipelineId, IConsumer<TOut>> next)
        where TIn : TelemetryData
        where TOut : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(next);
        if (typeof(TIn) != typeof(Traces) || typeof(TOut) != typeof(Metrics))
        {
            throw new NotSupportedException("spanmetrics connects traces to metrics only.");
        }

        var consumers = new List<IConsumer<Metrics>>();
        foreach (var consumer in next.Values)
        {
            consumers.Add((IConsumer<Metrics>)consumer);
        }

        return (IConnector<TIn>)(object)new SpanMetricsConnector(settings, (SpanMetricsConfig)config, FanOutConsumer<Metrics>.Create(consumers));
    }
}
