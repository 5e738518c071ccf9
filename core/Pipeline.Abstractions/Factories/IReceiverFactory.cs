using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>Creates receivers. Called once per (signal, receiver ID) that pipelines use.</summary>
public interface IReceiverFactory : IComponentFactory
{
    /// <summary>Creates the receiver for one signal. A factory may return the same instance for several signals
    /// (otelcol's shared component), and the host then starts and stops it once.</summary>
    IReceiver CreateReceiver<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData;
}
