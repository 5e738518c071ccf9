namespace Pipeline.Abstractions;

/// <summary>
/// A consumer that may be durable: when <see cref="PersistsBeforeReturning"/> is true, a completed
/// <see cref="IConsumer{T}.ConsumeAsync"/> means the data is on durable storage (e.g. an exporter with a persistent
/// sending queue) and survives a crash of the process. The host uses it to tell the processors in front of such a
/// consumer (<see cref="ComponentSettings.DurableDownstream"/>) that holding data in memory would break that promise.
/// </summary>
public interface IPersistingConsumer
{
    /// <summary>True when a completed ConsumeAsync means the data was persisted.</summary>
    bool PersistsBeforeReturning { get; }
}
