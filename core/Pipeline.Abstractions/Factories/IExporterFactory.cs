using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>Creates exporters: one instance per (signal, exporter ID).</summary>
public interface IExporterFactory : IComponentFactory
{
    /// <summary>Creates the exporter for one signal.</summary>
    IExporter<T> CreateExporter<T>(ComponentSettings settings, IComponentConfig config)
        where T : TelemetryData;
}
