using Pipeline.Abstractions.Configuration;

namespace Pipeline.Exporters.File;

/// <summary>The <c>file</c> exporter's config, with otelcol's (contrib <c>fileexporter</c>) keys and defaults.</summary>
public sealed class FileExporterConfig : IComponentConfig
{
    /// <summary>The <c>format</c> values.</summary>
    public static readonly IReadOnlyList<string> Formats = ["json", "proto"];

    /// <summary>Path of the file to write to, relative to the working directory. Required.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Append to an existing file instead of truncating it at start. Default false.</summary>
    public bool Append { get; set; }

    /// <summary><c>json</c> (default: one OTLP/JSON object per line per export) or <c>proto</c> (length-prefixed protobuf).</summary>
    public string Format { get; set; } = "json";

    /// <summary>Empty (default, none) or <c>zstd</c>; compressed records are length-prefixed whatever the format.</summary>
    public string Compression { get; set; } = string.Empty;

    /// <summary>How often buffered data is flushed to the file. Default 1s; 0 means the default.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Size-based rotation; null (default) when the <c>rotation</c> key is absent.</summary>
    public FileRotationConfig? Rotation { get; set; }

    /// <summary>Whether <c>group_by</c> was enabled (not supported: only <c>enabled: false</c> is accepted).</summary>
    public bool GroupByEnabled { get; set; }

    /// <summary>An encoding extension ID (<c>encoding</c>); not supported, so any value is an error.</summary>
    public string? Encoding { get; set; }

    /// <summary>Create the file's parent directory at start. Default false.</summary>
    public bool CreateDirectory { get; set; }

    /// <summary>Octal permissions for a created directory (<c>directory_permissions</c>); default 0755 when creating.</summary>
    public string DirectoryPermissions { get; set; } = string.Empty;

    /// <inheritdoc />
    public void Bind(ConfigSection s)
    {
        Path = s.GetString("path", Path);
        Append = s.GetBool("append", Append);
        Format = s.GetString("format", Format);
        Compression = s.GetString("compression", Compression);
        var flush = s.GetDuration("flush_interval", FlushInterval, allowNegative: true);
        FlushInterval = flush == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : flush;
        Encoding = s.GetOptionalString("encoding", Encoding);
        CreateDirectory = s.GetBool("create_directory", CreateDirectory);
        DirectoryPermissions = s.GetString("directory_permissions", DirectoryPermissions);

        // As in otelcol, rotation is on as soon as the key is written, even empty.
        if (s.GetSection("rotation") is { } rotation)
        {
            Rotation ??= new FileRotationConfig();
            Rotation.Bind(rotation);
        }

        if (s.GetSection("group_by") is { } groupBy)
        {
            GroupByEnabled = groupBy.GetBool("enabled", GroupByEnabled);
            groupBy.GetString("resource_attribute", "fileexporter.path_segment");
            groupBy.GetInt32("max_open_files", 100);
            groupBy.Finish();
        }

        s.Finish();
    }

    /// <inheritdoc />
    public void Validate(ValidationErrors errors)
    {
        if (Path.Length == 0)
        {
            errors.Add(string.Empty, "path must be non-empty.");
        }

        if (Append && Compression.Length != 0)
        {
            errors.Add(string.Empty, "append and compression enabled at the same time is not supported.");
        }

        if (Append && Rotation is not null)
        {
            errors.Add(string.Empty, "append and rotation enabled at the same time is not supported.");
        }

        if (Format != "json" && Format != "proto")
        {
            errors.Add("format", $"format type \"{Format}\" is not supported: use json or proto.");
        }

        if (Compression.Length != 0 && Compression != "zstd")
        {
            errors.Add("compression", $"compression \"{Compression}\" is not supported: use zstd or leave it empty.");
        }

        if (FlushInterval < TimeSpan.Zero)
        {
            errors.Add("flush_interval", "flush_interval must be larger than zero.");
        }

        if (GroupByEnabled)
        {
            errors.Add("group_by", "group_by is not supported by this collector: only enabled: false is accepted.");
        }

        if (!string.IsNullOrEmpty(Encoding))
        {
            errors.Add("encoding", $"encoding extensions are not supported by this collector (got \"{Encoding}\"): use format json or proto.");
        }

        if (CreateDirectory)
        {
            if (ParsePermissions() is null)
            {
                errors.Add("directory_permissions", $"directory_permissions value \"{DirectoryPermissions}\" must be a valid octal representation of file access bits, such as 0755.");
            }
        }
        else if (DirectoryPermissions.Length != 0)
        {
            errors.Add("directory_permissions", "directory_permissions requires create_directory to be true.");
        }

        Rotation?.Validate(errors.Nested("rotation"));
    }

    /// <summary>The directory permissions as Unix mode bits (0755 by default), or null when invalid.</summary>
    internal UnixFileMode? ParsePermissions()
    {
        string text = DirectoryPermissions.Length == 0 ? "0755" : DirectoryPermissions;
        try
        {
            int bits = Convert.ToInt32(text, 8);
            return bits is >= 0 and <= 511 ? (UnixFileMode)bits : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
