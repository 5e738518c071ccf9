using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Connectors.Forward;

/// <summary>Hands each batch to the pipelines it feeds (cloning only for those that mutate).</summary>
/// <typeparam name="T">The batch type.</typeparam>
internal sealed class ForwardConnector<T>(IConsumer<T> next) : IConnector<T>
    where T : TelemetryData
{
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken) => next.ConsumeAsync(data, cancellationToken);

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
