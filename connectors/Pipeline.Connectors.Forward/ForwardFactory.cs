using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Connectors.Forward;

/// <summary>Factory of the <c>forward</c> connector (same signal in and out).</summary>
public sealed class ForwardFactory : IConnectorFactory
{
    /// <inheritdoc />
    public string Type => "forward";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Connector;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Beta,
        [Signal.Metrics] = StabilityLevel.Beta,
        [Signal.Logs] = StabilityLevel.Beta,
    };

    /// <inheritdoc />
    public IReadOnlyDictionary<(Signal From, Signal To), StabilityLevel> ConnectorStability { get; } = new Dictionary<(Signal, Signal), StabilityLevel>
    {
        [(Signal.Traces, Signal.Traces)] = StabilityLevel.Beta,
        [(Signal.Metrics, Signal.Metrics)] = StabilityLevel.Beta,
        [(Signal.Logs, Signal.Logs)] = StabilityLevel.Beta,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new ForwardConfig();

    /// <inheritdoc />
    public IConnector<TIn> CreateConnector<TIn, TOut>(ComponentSettings settings, IComponentConfig config, IReadOnlyDictionary<PipelineId, IConsumer<TOut>> next)
        where TIn : TelemetryData
        where TOut : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(next);
        if (typeof(TIn) != typeof(TOut))
        {
            throw new NotSupportedException("forward connects pipelines of the same signal only.");
        }

        var consumers = new List<IConsumer<TIn>>();
        foreach (var consumer in next.Values)
        {
            consumers.Add((IConsumer<TIn>)consumer);
        }

        return new ForwardConnector<TIn>(FanOutConsumer<TIn>.Create(consumers));
    }
}
