using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.Nop;

/// <summary>Accepts every batch and drops it.</summary>
/// <typeparam name="T">The signal's batch type.</typeparam>
internal sealed class NopExporter<T> : IExporter<T>
    where T : TelemetryData
{
    /// <inheritdoc />
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
