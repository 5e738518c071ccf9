using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.Nop;

/// <summary>Creates <c>nop</c> exporters: every signal, everything discarded.</summary>
public sealed class NopExporterFactory : IExporterFactory
{
    /// <inheritdoc />
    public string Type => "nop";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Exporter;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Beta,
        [Signal.Metrics] = StabilityLevel.Beta,
        [Signal.Logs] = StabilityLevel.Beta,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new NopExporterConfig();

    /// <inheritdoc />
    public IExporter<T> CreateExporter<T>(ComponentSettings settings, IComponentConfig config)
        where T : TelemetryData => new NopExporter<T>();
}
