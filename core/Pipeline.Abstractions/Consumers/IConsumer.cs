using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>
/// The only kind of edge in a pipeline: accepts a batch, and completes when the data is handed on or refused.
/// Once the call is made the caller must not touch the data. A throw means refused: <see cref="PermanentException"/>
/// for bad data, <see cref="ConsumerException"/> with a status for anything else, any other exception is retryable.
/// </summary>
/// <typeparam name="T">The signal's batch type.</typeparam>
public interface IConsumer<in T>
    where T : TelemetryData
{
    /// <summary>Whether this consumer changes the data it is given (so a fan-out must clone for it).</summary>
    ConsumerCapabilities Capabilities { get; }

    /// <summary>Consumes a batch.</summary>
    ValueTask ConsumeAsync(T data, CancellationToken cancellationToken);
}
