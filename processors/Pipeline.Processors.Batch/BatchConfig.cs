using System.Globalization;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Processors.Batch;

/// <summary>The <c>batch</c> processor's config (otelcol <c>processor/batchprocessor/config.go</c>).</summary>
public sealed class BatchConfig : IComponentConfig
{
    /// <summary>Items (spans, data points, log records) that trigger a send. Default 8192. Does not cap a batch.</summary>
    public uint SendBatchSize { get; set; } = 8192;

    /// <summary>How long a pending item may wait before its batch is sent. Default 200ms; 0 sends every request at once
    /// (then only <see cref="SendBatchMaxSize"/> applies).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most items in one sent batch; larger batches are split. Default 0 (no cap).</summary>
    public uint SendBatchMaxSize { get; set; }

    /// <summary>Client metadata keys (case-insensitive) whose value combination selects a separate batcher; each batch
    /// carries those keys' values onward. Needs the receiver's <c>include_metadata</c>. Default none (one batcher, and
    /// batches carry no client information).</summary>
    public List<string> MetadataKeys { get; set; } = [];

    /// <summary>The most distinct metadata value combinations; a request bringing one more is refused with the
    /// permanent error <c>too many batcher metadata-value combinations</c>. 0 means no limit. Default 1000.</summary>
    public uint MetadataCardinalityLimit { get; set; } = 1000;

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        SendBatchSize = (uint)section.GetInt64("send_batch_size", SendBatchSize, 0, uint.MaxValue);
        Timeout = section.GetDuration("timeout", Timeout, allowNegative: true);
        SendBatchMaxSize = (uint)section.GetInt64("send_batch_max_size", SendBatchMaxSize, 0, uint.MaxValue);
        MetadataKeys = section.GetStringList("metadata_keys", MetadataKeys);
        MetadataCardinalityLimit = (uint)section.GetInt64("metadata_cardinality_limit", MetadataCardinalityLimit, 0, uint.MaxValue);
        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (SendBatchMaxSize > 0 && SendBatchMaxSize < SendBatchSize)
        {
            errors.Add(string.Empty, string.Create(CultureInfo.InvariantCulture, $"send_batch_max_size must be greater or equal to send_batch_size (send_batch_max_size is {SendBatchMaxSize}, send_batch_size is {SendBatchSize})."));
        }

        if (Timeout < TimeSpan.Zero)
        {
            errors.Add(string.Empty, $"timeout must be greater or equal to 0 (got {GoDuration.Format(Timeout)}).");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string key in MetadataKeys)
        {
            if (!seen.Add(key))
            {
                errors.Add(string.Empty, $"duplicate entry in metadata_keys: \"{key.ToLowerInvariant()}\" (case-insensitive).");
            }
        }
    }
}
