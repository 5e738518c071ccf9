using Pipeline.Abstractions.Configuration;

namespace Pipeline.Extensions.FileStorage;

/// <summary>Config of the <c>file_storage</c> extension (otelcol-contrib extension/storage/filestorage).</summary>
public sealed class FileStorageConfig : IComponentConfig
{
    /// <summary><c>directory</c>: where the stores live. Default <c>/var/lib/otelcol/file_storage</c>.</summary>
    public string Directory { get; set; } = "/var/lib/otelcol/file_storage";

    /// <summary><c>create_directory</c>: create <see cref="Directory"/> when missing. Default false.</summary>
    public bool CreateDirectory { get; set; }

    /// <summary><c>directory_permissions</c>: octal mode of a created directory. Default <c>0750</c>.</summary>
    public string DirectoryPermissions { get; set; } = "0750";

    /// <summary><c>timeout</c>: how long to wait for another process's lock on a store. Default 1s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>fsync</c>: flush every write to the device before acknowledging it. Default false.</summary>
    public bool Fsync { get; set; }

    /// <summary><c>compaction::on_start</c>: rewrite each store without its acknowledged records when opened. Default false.</summary>
    public bool CompactionOnStart { get; set; }

    /// <summary><c>compaction::on_rebound</c>: accepted; the store is truncated whenever it becomes empty instead. Default false.</summary>
    public bool CompactionOnRebound { get; set; }

    /// <summary><c>compaction::directory</c>: accepted; compaction writes next to the store. Default: <see cref="Directory"/>.</summary>
    public string? CompactionDirectory { get; set; }

    /// <summary><c>compaction::max_transaction_size</c>: accepted, unused. Default 65536.</summary>
    public long MaxTransactionSize { get; set; } = 65536;

    /// <summary><c>compaction::rebound_needed_threshold_mib</c>: accepted, unused. Default 100.</summary>
    public long ReboundNeededThresholdMiB { get; set; } = 100;

    /// <summary><c>compaction::rebound_trigger_threshold_mib</c>: accepted, unused. Default 10.</summary>
    public long ReboundTriggerThresholdMiB { get; set; } = 10;

    /// <summary><c>compaction::check_interval</c>: accepted, unused. Default 5s.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>compaction::cleanup_on_start</c>: delete leftover compaction temp files when opening. Default false.</summary>
    public bool CleanupOnStart { get; set; }

    /// <inheritdoc />
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Directory = section.GetString("directory", Directory);
        CreateDirectory = section.GetBool("create_directory", CreateDirectory);
        DirectoryPermissions = section.GetString("directory_permissions", DirectoryPermissions);
        Timeout = section.GetDuration("timeout", Timeout);
        Fsync = section.GetBool("fsync", Fsync);
        if (section.GetSection("compaction") is { } compaction)
        {
            CompactionOnStart = compaction.GetBool("on_start", CompactionOnStart);
            CompactionOnRebound = compaction.GetBool("on_rebound", CompactionOnRebound);
            CompactionDirectory = compaction.GetOptionalString("directory", CompactionDirectory);
            MaxTransactionSize = compaction.GetInt64("max_transaction_size", MaxTransactionSize);
            ReboundNeededThresholdMiB = compaction.GetInt64("rebound_needed_threshold_mib", ReboundNeededThresholdMiB);
            ReboundTriggerThresholdMiB = compaction.GetInt64("rebound_trigger_threshold_mib", ReboundTriggerThresholdMiB);
            CheckInterval = compaction.GetDuration("check_interval", CheckInterval);
            CleanupOnStart = compaction.GetBool("cleanup_on_start", CleanupOnStart);
            compaction.Finish();
        }

        section.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!TryParseMode(DirectoryPermissions, out _))
        {
            errors.Add("directory_permissions", $"invalid value \"{DirectoryPermissions}\": expected an octal file mode such as 0750.");
        }

        if (CreateDirectory)
        {
            return;
        }

        if (!System.IO.Directory.Exists(Directory))
        {
            errors.Add("directory", $"directory must exist: {Directory}. You can enable the create_directory option to automatically create it.");
        }
    }

    /// <summary>Parses an octal mode such as <c>0750</c>.</summary>
    internal static bool TryParseMode(string text, out UnixFileMode mode)
    {
        mode = default;
        if (text.Length == 0 || text.Length > 4)
        {
            return false;
        }

        int value = 0;
        foreach (char c in text)
        {
            if (c < '0' || c > '7')
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        mode = (UnixFileMode)value;
        return true;
    }
}
