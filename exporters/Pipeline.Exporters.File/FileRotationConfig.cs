using Pipeline.Abstractions.Configuration;

namespace Pipeline.Exporters.File;

/// <summary>The <c>rotation</c> section: rotate by size and prune old files (otelcol uses lumberjack's rules).</summary>
public sealed class FileRotationConfig
{
    /// <summary>Size in megabytes at which the file is rotated. Default 100; 0 means the default.</summary>
    public int MaxMegabytes { get; set; } = 100;

    /// <summary>Rotated files older than this many days are deleted. Default 0: keep whatever their age.</summary>
    public int MaxDays { get; set; }

    /// <summary>How many rotated files to keep. Default 100; 0 keeps all.</summary>
    public int MaxBackups { get; set; } = 100;

    /// <summary>Use local time rather than UTC in rotated file names. Default false.</summary>
    public bool LocalTime { get; set; }

    /// <summary>The rotation size in bytes.</summary>
    internal long MaxBytes => (MaxMegabytes == 0 ? 100L : MaxMegabytes) * 1024 * 1024;

    /// <summary>Reads the section's keys.</summary>
    public void Bind(ConfigSection s)
    {
        MaxMegabytes = s.GetInt32("max_megabytes", MaxMegabytes);
        MaxDays = s.GetInt32("max_days", MaxDays);
        MaxBackups = s.GetInt32("max_backups", MaxBackups);
        LocalTime = s.GetBool("localtime", LocalTime);
        s.Finish();
    }

    /// <summary>Checks the values.</summary>
    public void Validate(ValidationErrors errors)
    {
        if (MaxMegabytes < 0)
        {
            errors.Add("max_megabytes", $"max_megabytes ({MaxMegabytes}) must not be negative.");
        }

        if (MaxDays < 0)
        {
            errors.Add("max_days", $"max_days ({MaxDays}) must not be negative.");
        }

        if (MaxBackups < 0)
        {
            errors.Add("max_backups", $"max_backups ({MaxBackups}) must not be negative.");
        }
    }
}
