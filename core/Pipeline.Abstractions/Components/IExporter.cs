using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>An exporter: the last consumer of a pipeline.</summary>
/// <typeparam name="T">The signal's batch type.</typeparam>
public interface IExporter<in T> : IComponent, IConsumer<T>
    where T : TelemetryData
{
}
