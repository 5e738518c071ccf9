namespace Pipeline.Abstractions;

/// <summary>
/// An extension that gives components durable storage (otelcol's storage.Extension), shaped for a persistent FIFO
/// queue of byte records.
/// </summary>
public interface IStorageExtension : IExtension
{
    /// <summary>
    /// Opens the client of one component. Each (<paramref name="kind"/>, <paramref name="id"/>,
    /// <paramref name="name"/>) has its own storage that outlives the process.
    /// </summary>
    /// <param name="kind">The kind of the component asking.</param>
    /// <param name="id">The component's ID.</param>
    /// <param name="name">A name the component chooses to keep several stores apart (e.g. the signal), or empty.</param>
    IStorageClient GetClient(ComponentKind kind, ComponentId id, string name);
}

/// <summary>One stored record: its sequence number (the handle to acknowledge it) and its bytes.</summary>
/// <param name="Sequence">Increasing per client; passed to <see cref="IStorageClient.Acknowledge"/>.</param>
/// <param name="Payload">The bytes as appended.</param>
public readonly record struct StoredRecord(long Sequence, ReadOnlyMemory<byte> Payload);

/// <summary>
/// A durable FIFO of byte records. A record stays until acknowledged, across restarts; records still pending when
/// the client is opened are returned once by <see cref="TakePending"/>, oldest first. Thread-safe.
/// </summary>
public interface IStorageClient : IDisposable
{
    /// <summary>Records not acknowledged yet.</summary>
    long PendingCount { get; }

    /// <summary>Persists a record before returning (fsynced when the extension is so configured).</summary>
    /// <returns>The record's sequence number.</returns>
    long Append(ReadOnlySpan<byte> payload);

    /// <summary>Records left by a previous run, oldest first; returns them only on the first call.</summary>
    IReadOnlyList<StoredRecord> TakePending();

    /// <summary>Removes a record for good (after it was delivered or found undeliverable). Order does not matter.</summary>
    void Acknowledge(long sequence);
}
