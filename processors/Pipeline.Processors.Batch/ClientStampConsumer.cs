using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Batch;

/// <summary>Gives every batch a batcher sends the client of its batcher before passing it on: the keyed
/// combination under <c>metadata_keys</c>, else <see cref="ClientInfo.Empty"/> (otelcol's batch processor sends with
/// a fresh context, so the client of the requests is not carried past it).</summary>
/// <typeparam name="T">The batch type.</typeparam>
internal sealed class ClientStampConsumer<T> : IConsumer<T>
    where T : TelemetryData
{
    private readonly IConsumer<T> _next;
    private readonly ClientInfo _client;

    public ClientStampConsumer(IConsumer<T> next, ClientInfo client)
    {
        _next = next;
        _client = client;
    }

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities => _next.Capabilities;

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken) =>
        _next.ConsumeAsync((T)data.WithClient(_client), cancellationToken);
}
