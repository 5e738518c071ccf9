using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>Creates processors: one instance per (pipeline, processor ID).</summary>
public interface IProcessorFactory : IComponentFactory
{
    /// <summary>Creates the processor for one pipeline.</summary>
    IProcessor<T> CreateProcessor<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData;
}
