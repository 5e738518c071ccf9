using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Resource;

/// <summary>Creates <c>resource</c> processors (otelcol-contrib <c>processor/resourceprocessor</c>, beta for all signals).</summary>
public sealed class ResourceProcessorFactory : IProcessorFactory
{
    /// <inheritdoc />
    public string Type => "resource";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Processor;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Beta,
        [Signal.Metrics] = StabilityLevel.Beta,
        [Signal.Logs] = StabilityLevel.Beta,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new ResourceConfig();

    /// <inheritdoc />
    public IProcessor<T> CreateProcessor<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(next);
        return new ResourceProcessor<T>(settings, ((ResourceConfig)config).GetActions(), next);
    }
}
