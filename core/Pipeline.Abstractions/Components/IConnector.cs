using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>A connector: consumes <typeparamref name="TIn"/> as the exporter of some pipelines and emits to others.</summary>
/// <typeparam name="TIn">The batch type it consumes.</typeparam>
public interface IConnector<in TIn> : IComponent, IConsumer<TIn>
    where TIn : TelemetryData
{
}
