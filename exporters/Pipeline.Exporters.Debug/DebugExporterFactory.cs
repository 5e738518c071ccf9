using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.Debug;

/// <summary>Creates <c>debug</c> exporters for every signal.</summary>
public sealed class DebugExporterFactory : IExporterFactory
{
    /// <inheritdoc />
    public string Type => "debug";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Exporter;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Development,
        [Signal.Metrics] = StabilityLevel.Development,
        [Signal.Logs] = StabilityLevel.Development,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new DebugExporterConfig();

    /// <inheritdoc />
    public IExporter<T> CreateExporter<T>(ComponentSettings settings, IComponentConfig config)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new DebugExporter<T>(settings, (DebugExporterConfig)config);
    }
}
