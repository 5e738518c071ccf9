using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>Creates connectors: one instance per (input signal, output signal, connector ID).</summary>
public interface IConnectorFactory : IComponentFactory
{
    /// <summary>The (from, to) signal pairs supported, with their stability.</summary>
    IReadOnlyDictionary<(Signal From, Signal To), StabilityLevel> ConnectorStability { get; }

    /// <summary>Creates a connector consuming <typeparamref name="TIn"/> and emitting to the consumers of the
    /// pipelines it feeds, keyed by pipeline (routing needs to address them one by one).</summary>
    IConnector<TIn> CreateConnector<TIn, TOut>(
        ComponentSettings settings,
        IComponentConfig config,
        IReadOnlyDictionary<PipelineId, IConsumer<TOut>> next)
        where TIn : TelemetryData
        where TOut : TelemetryData;
}
