using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.File;

/// <summary>Creates <c>file</c> exporters (otelcol-contrib's <c>fileexporter</c>): all signals, alpha.</summary>
public sealed class FileExporterFactory : IExporterFactory
{
    /// <inheritdoc />
    public string Type => "file";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Exporter;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Alpha,
        [Signal.Metrics] = StabilityLevel.Alpha,
        [Signal.Logs] = StabilityLevel.Alpha,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new FileExporterConfig();

    /// <inheritdoc />
    public IExporter<T> CreateExporter<T>(ComponentSettings settings, IComponentConfig config)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        var fileConfig = (FileExporterConfig)config;
        Signal signal = typeof(T) == typeof(Traces) ? Signal.Traces
            : typeof(T) == typeof(Metrics) ? Signal.Metrics
            : typeof(T) == typeof(Logs) ? Signal.Logs
            : throw new NotSupportedException($"The file exporter does not support {typeof(T).Name}.");
        return new FileExporter<T>(settings, fileConfig, signal);
    }
}
