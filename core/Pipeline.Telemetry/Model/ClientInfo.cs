namespace Pipeline.Telemetry;

/// <summary>
/// Who sent a batch: the client's address and, when the receiver was asked for it (<c>include_metadata: true</c>),
/// the request's headers or gRPC metadata (otelcol's <c>client.Info</c> without <c>Auth</c>: Pipeline has no
/// authenticators). Immutable; <see cref="Empty"/> stands for "no client information".
/// </summary>
/// <remarks>
/// Metadata keys are stored lower-cased and looked up case-insensitively, as HTTP/2 and otelcol's
/// <c>client.Metadata.Get</c> treat them. Each key keeps every value it was sent with, in order.
/// </remarks>
public sealed class ClientInfo
{
    private static readonly Dictionary<string, IReadOnlyList<string>> NoMetadata = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IReadOnlyList<string>> _metadata;

    /// <summary>Creates client information, copying <paramref name="metadata"/>: keys are lower-cased, the values of
    /// keys that differ only in case are joined in order, and keys without values are left out.</summary>
    /// <param name="address">The client's IP address as text (no port), or null when unknown (e.g. a unix socket).</param>
    /// <param name="metadata">Header or metadata names and their values, or null for none.</param>
    public ClientInfo(string? address, IEnumerable<KeyValuePair<string, string[]>>? metadata = null)
    {
        Address = string.IsNullOrEmpty(address) ? null : address;
        if (metadata is null)
        {
            _metadata = NoMetadata;
            return;
        }

        _metadata = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in metadata)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (values is null || values.Length == 0)
            {
                continue;
            }

            string[] copy = _metadata.TryGetValue(key, out var earlier) ? [.. earlier, .. values] : [.. values];
            _metadata[key.ToLowerInvariant()] = copy;
        }
    }

    /// <summary>No client information: what every batch carries unless a receiver sets it.</summary>
    public static ClientInfo Empty { get; } = new(null);

    /// <summary>The client's IP address (otelcol's <c>client.address</c>), or null when unknown.</summary>
    public string? Address { get; }

    /// <summary>Request headers or gRPC metadata by lower-cased name; empty unless the receiver has
    /// <c>include_metadata: true</c> (or a batch processor with <c>metadata_keys</c> produced the batch). Lookups
    /// on it are case-insensitive; every list has at least one value.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Metadata => _metadata;

    /// <summary>True when there is neither an address nor metadata.</summary>
    public bool IsEmpty => Address is null && _metadata.Count == 0;

    /// <summary>The values of one metadata key (case-insensitive), or an empty list when it is absent.</summary>
    public IReadOnlyList<string> GetMetadata(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _metadata.TryGetValue(key, out var values) ? values : [];
    }

    /// <summary>The first value of one metadata key (case-insensitive): what a routing condition
    /// <c>request["X-Tenant"] == "acme"</c> compares.</summary>
    /// <returns>False when the key is absent.</returns>
    public bool TryGetFirst(string key, out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_metadata.TryGetValue(key, out var values))
        {
            value = values[0];
            return true;
        }

        value = string.Empty;
        return false;
    }
}
