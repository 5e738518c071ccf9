using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Exporters.Helper;

/// <summary><c>sending_queue</c>: the bounded in-memory queue in front of the exporter (otelcol's queuebatch.Config).</summary>
public sealed class QueueConfig
{
    /// <summary>Whether requests are queued and sent by background consumers. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Consumers sending from the queue concurrently. Default 10.</summary>
    public int NumConsumers { get; set; } = 10;

    /// <summary>Capacity, in <see cref="Sizer"/> units. Default 1000.</summary>
    public long QueueSize { get; set; } = 1000;

    /// <summary>What <see cref="QueueSize"/> counts. Default <c>requests</c>.</summary>
    public QueueSizer Sizer { get; set; } = QueueSizer.Requests;

    /// <summary>When full: false (default) refuses the request; true makes the caller wait for space.</summary>
    public bool BlockOnOverflow { get; set; }

    /// <summary>When true the caller waits until its request is exported (or finally fails). Default false.</summary>
    public bool WaitForResult { get; set; }

    /// <summary>Storage extension (e.g. <c>file_storage</c>) for a persistent queue, or null (in-memory, default).</summary>
    public ComponentId? Storage { get; set; }

    /// <summary>Batching inside the queue, or null when <c>batch</c> is absent (default).</summary>
    public QueueBatchConfig? Batch { get; set; }

    /// <summary>Reads the <c>sending_queue</c> section.</summary>
    public void Bind(ConfigSection? section)
    {
        if (section is null)
        {
            return;
        }

        Enabled = section.GetBool("enabled", Enabled);
        NumConsumers = section.GetInt32("num_consumers", NumConsumers);
        QueueSize = section.GetInt64("queue_size", QueueSize);
        Sizer = QueueSizerNames.Parse(section.GetEnum("sizer", Sizer.ToName(), QueueSizerNames.All));
        BlockOnOverflow = section.GetBool("block_on_overflow", BlockOnOverflow);
        WaitForResult = section.GetBool("wait_for_result", WaitForResult);
        string? storage = section.GetOptionalString("storage", Storage?.ToString());
        if (storage is null)
        {
            Storage = null;
        }
        else if (ComponentId.TryParse(storage, out var id, out string? error))
        {
            Storage = id;
        }
        else
        {
            section.Error("storage", error + ".");
        }

        if (section.GetSection("batch") is { } batch)
        {
            Batch ??= new QueueBatchConfig();
            Batch.Bind(batch);
        }

        section.Finish();
    }

    /// <summary>otelcol's rules and messages; nothing is checked when the queue is off.</summary>
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!Enabled)
        {
            return;
        }

        if (NumConsumers <= 0)
        {
            errors.Add(string.Empty, "`num_consumers` must be positive.");
        }

        if (QueueSize <= 0)
        {
            errors.Add(string.Empty, "`queue_size` must be positive.");
        }

        if (Storage is not null && WaitForResult)
        {
            errors.Add(string.Empty, "`wait_for_result` is not supported with a persistent queue configured with `storage`.");
        }

        if (Batch is not null)
        {
            if (Batch.Sizer == QueueSizer.Requests)
            {
                errors.Add("batch", "`batch` supports only `items` or `bytes` sizer.");
            }
            else if (Batch.Sizer == Sizer && Batch.MinSize > QueueSize)
            {
                errors.Add("batch", "`min_size` must be less than or equal to `queue_size`.");
            }

            Batch.Validate(errors.Nested("batch"));
        }
    }
}
