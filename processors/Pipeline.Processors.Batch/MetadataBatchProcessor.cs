using System.Collections.Concurrent;
using System.Text;
using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Batch;

/// <summary>
/// The batch processor with <c>metadata_keys</c> (otelcol's <c>multiShardBatcher</c>): one
/// <see cref="BatchProcessor{T}"/> per distinct combination of the values of those client metadata keys, so a batch
/// never mixes, say, tenants. Each batch goes on carrying only those keys and their values (no address); keys are
/// matched case-insensitively, values exactly, and an absent key is a value of its own. Above
/// <c>metadata_cardinality_limit</c> combinations (0: no limit) a request with a new combination is refused with
/// otelcol's permanent error.
/// </summary>
/// <typeparam name="T">The batch type.</typeparam>
internal sealed class MetadataBatchProcessor<T> : IProcessor<T>
    where T : TelemetryData
{
    /// <summary>otelcol's <c>errTooManyBatchers</c> text.</summary>
    internal const string TooManyBatchers = "too many batcher metadata-value combinations";

    private readonly Func<IConsumer<T>, BatchProcessor<T>> _createBatcher;
    private readonly IConsumer<T> _next;
    private readonly string[] _keys;
    private readonly uint _limit;
    private readonly ConcurrentDictionary<string, Shard> _shards = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private bool _stopped;

    /// <param name="keys">The configured metadata keys (any case; duplicates were rejected by validation).</param>
    /// <param name="limit">The most combinations; 0 for no limit.</param>
    /// <param name="next">The next consumer.</param>
    /// <param name="createBatcher">Creates one batcher in front of the given consumer.</param>
    public MetadataBatchProcessor(IReadOnlyList<string> keys, uint limit, IConsumer<T> next, Func<IConsumer<T>, BatchProcessor<T>> createBatcher)
    {
        _keys = new string[keys.Count];
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = keys[i].ToLowerInvariant();
        }

        Array.Sort(_keys, StringComparer.Ordinal);
        _limit = limit;
        _next = next;
        _createBatcher = createBatcher;
    }

    /// <summary>The number of distinct combinations seen so far (otelcol's <c>metadata_cardinality</c>).</summary>
    public int Cardinality => _shards.Count;

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    /// <inheritdoc />
    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var client = data.Client;
        string key = CombinationKey(client);
        if (!_shards.TryGetValue(key, out var shard))
        {
            lock (_gate)
            {
                if (!_shards.TryGetValue(key, out shard))
                {
                    if (_stopped)
                    {
                        // Shut down: nothing is batched any more; pass the data on as its combination's batch.
                        return _next.ConsumeAsync((T)data.WithClient(ShardClient(client)), cancellationToken);
                    }

                    if (_limit != 0 && _shards.Count >= _limit)
                    {
                        throw new PermanentException(TooManyBatchers);
                    }

                    var stamp = new ClientStampConsumer<T>(_next, ShardClient(client));
                    shard = new Shard(_createBatcher(stamp));
                    _shards[key] = shard;
                }
            }
        }

        return shard.Batcher.ConsumeAsync(data, cancellationToken);
    }

    /// <inheritdoc />
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        Shard[] shards;
        lock (_gate)
        {
            _stopped = true;
            shards = [.. _shards.Values];
        }

        var stops = new Task[shards.Length];
        for (int i = 0; i < shards.Length; i++)
        {
            stops[i] = shards[i].Batcher.ShutdownAsync(cancellationToken);
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
    }

    // Length-prefixed values of every key in order, so that no two combinations share a key: ["a;b"] and ["a", "b"]
    // differ, and so do an absent key and an empty value.
    private string CombinationKey(ClientInfo client)
    {
        var text = new StringBuilder();
        foreach (string key in _keys)
        {
            var values = client.GetMetadata(key);
            text.Append(values.Count).Append('|');
            foreach (string value in values)
            {
                text.Append(value.Length).Append(':').Append(value);
            }
        }

        return text.ToString();
    }

    private ClientInfo ShardClient(ClientInfo client)
    {
        var metadata = new List<KeyValuePair<string, string[]>>(_keys.Length);
        foreach (string key in _keys)
        {
            var values = client.GetMetadata(key);
            if (values.Count > 0)
            {
                metadata.Add(new(key, [.. values]));
            }
        }

        return new ClientInfo(null, metadata);
    }

    private sealed record Shard(BatchProcessor<T> Batcher);
}
