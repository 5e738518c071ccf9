using Pipeline.Abstractions.Configuration;

namespace Pipeline.Exporters.Helper;

/// <summary>
/// <c>sending_queue::batch</c>: batching inside the queue. Accepted and validated as otelcol does; requests are not
/// merged yet (each queued request is sent as it came).
/// </summary>
public sealed class QueueBatchConfig
{
    /// <summary>Send a partial batch after this long. Default 200ms.</summary>
    public TimeSpan FlushTimeout { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Smallest batch sent before the flush timeout. Default 8192.</summary>
    public long MinSize { get; set; } = 8192;

    /// <summary>Largest batch; 0 means no limit. Default 0.</summary>
    public long MaxSize { get; set; }

    /// <summary>What the sizes count: <c>items</c> (default) or <c>bytes</c>.</summary>
    public QueueSizer Sizer { get; set; } = QueueSizer.Items;

    /// <summary>Reads the <c>batch</c> section.</summary>
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        FlushTimeout = section.GetDuration("flush_timeout", FlushTimeout, allowNegative: true);
        MinSize = section.GetInt64("min_size", MinSize);
        MaxSize = section.GetInt64("max_size", MaxSize);
        Sizer = QueueSizerNames.Parse(section.GetEnum("sizer", Sizer.ToName(), QueueSizerNames.All));
        section.Finish();
    }

    /// <summary>otelcol's batch rules.</summary>
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (FlushTimeout <= TimeSpan.Zero)
        {
            errors.Add(string.Empty, $"`flush_timeout` must be positive, got {GoDuration.Format(FlushTimeout)}.");
        }

        if (MinSize < 0)
        {
            errors.Add(string.Empty, "`min_size` must be non-negative.");
        }

        if (MaxSize < 0)
        {
            errors.Add(string.Empty, "`max_size` must be non-negative.");
        }

        if (MaxSize > 0 && MaxSize < MinSize)
        {
            errors.Add(string.Empty, $"`max_size` ({MaxSize}) must be greater or equal to `min_size` ({MinSize}).");
        }
    }
}
