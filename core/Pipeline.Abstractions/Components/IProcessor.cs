using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>A processor: a consumer that transforms data and calls the next consumer.</summary>
/// <typeparam name="T">The signal's batch type.</typeparam>
public interface IProcessor<in T> : IComponent, IConsumer<T>
    where T : TelemetryData
{
}
