using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Exporters.File;
using Pipeline.Telemetry;
using Xunit;
using static Pipeline.Exporters.Tests.File.FileTestData;

namespace Pipeline.Exporters.Tests.File;

public sealed class FileExporterConfigTests
{
    [Fact]
    public void CreateDefaultConfig_HasOtelcolDefaults()
    {
        var config = (FileExporterConfig)new FileExporterFactory().CreateDefaultConfig();

        Assert.Equal(string.Empty, config.Path);
        Assert.Equal("json", config.Format);
        Assert.Equal(string.Empty, config.Compression);
        Assert.False(config.Append);
        Assert.Equal(TimeSpan.FromSeconds(1), config.FlushInterval);
        Assert.Null(config.Rotation);
        Assert.False(config.GroupByEnabled);
    }

    [Fact]
    public void Factory_DeclaresFileForAllSignals()
    {
        var factory = new FileExporterFactory();

        Assert.Equal("file", factory.Type);
        Assert.Equal(ComponentKind.Exporter, factory.Kind);
        Assert.Equal(StabilityLevel.Alpha, factory.Stability[Signal.Traces]);
        Assert.Equal(StabilityLevel.Alpha, factory.Stability[Signal.Metrics]);
        Assert.Equal(StabilityLevel.Alpha, factory.Stability[Signal.Logs]);
    }

    [Fact]
    public void Accepts_EveryKey()
    {
        var (config, errors) = Bind(Map(
            ("path", "./out.bin"),
            ("format", "proto"),
            ("compression", "zstd"),
            ("flush_interval", "250ms"),
            ("create_directory", "true"),
            ("directory_permissions", "0700"),
            ("rotation", Map(("max_megabytes", "10"), ("max_days", "3"), ("max_backups", "5"), ("localtime", "true"))),
            ("group_by", Map(("enabled", "false"), ("resource_attribute", "x"), ("max_open_files", "10")))));

        Assert.Empty(errors);
        Assert.Equal("./out.bin", config.Path);
        Assert.Equal("proto", config.Format);
        Assert.Equal("zstd", config.Compression);
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.FlushInterval);
        Assert.True(config.CreateDirectory);
        Assert.Equal((UnixFileMode)448, config.ParsePermissions());
        Assert.NotNull(config.Rotation);
        Assert.Equal(10, config.Rotation.MaxMegabytes);
        Assert.Equal(3, config.Rotation.MaxDays);
        Assert.Equal(5, config.Rotation.MaxBackups);
        Assert.True(config.Rotation.LocalTime);
    }

    [Fact]
    public void Accepts_EmptyRotation_WithDefaults()
    {
        var (config, errors) = Bind(Map(("path", "f.json"), ("rotation", Map())));

        Assert.Empty(errors);
        Assert.Equal(100, config.Rotation!.MaxMegabytes);
        Assert.Equal(100, config.Rotation.MaxBackups);
        Assert.Equal(0, config.Rotation.MaxDays);
        Assert.False(config.Rotation.LocalTime);
    }

    [Fact]
    public void Accepts_ZeroFlushInterval_AsDefault()
    {
        var (config, errors) = Bind(Map(("path", "f.json"), ("flush_interval", "0s")));

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(1), config.FlushInterval);
    }

    [Theory]
    [InlineData("exporters::file: path must be non-empty.")]
    public void Rejects_MissingPath(string message)
    {
        var (_, errors) = Bind(Map());

        Assert.Equal([message], errors);
    }

    [Fact]
    public void Rejects_AppendWithCompression()
    {
        var (_, errors) = Bind(Map(("path", "f"), ("append", "true"), ("compression", "zstd")));

        Assert.Equal(["exporters::file: append and compression enabled at the same time is not supported."], errors);
    }

    [Fact]
    public void Rejects_AppendWithRotation()
    {
        var (_, errors) = Bind(Map(("path", "f"), ("append", "true"), ("rotation", Map())));

        Assert.Equal(["exporters::file: append and rotation enabled at the same time is not supported."], errors);
    }

    [Fact]
    public void Rejects_UnknownFormatAndCompression_AllAtOnce()
    {
        var (_, errors) = Bind(Map(("path", "f"), ("format", "xml"), ("compression", "gzip")));

        Assert.Equal(
        [
            "exporters::file::format: format type \"xml\" is not supported: use json or proto.",
            "exporters::file::compression: compression \"gzip\" is not supported: use zstd or leave it empty.",
        ], errors);
    }

    [Fact]
    public void Rejects_NegativeFlushInterval()
    {
        var (_, errors) = Bind(Map(("path", "f"), ("flush_interval", "-1s")));

        Assert.Equal(["exporters::file::flush_interval: flush_interval must be larger than zero."], errors);
    }

    [Fact]
    public void Rejects_GroupByEnabled()
    {
        var (_, errors) = Bind(Map(("path", "f/*.json"), ("group_by", Map(("enabled", "true")))));

        Assert.Equal(["exporters::file::group_by: group_by is not supported by this collector: only enabled: false is accepted."], errors);
    }

    [Fact]
    public void Rejects_EncodingExtension()
    {
        var (_, errors) = Bind(Map(("path", "f"), ("encoding", "otlp_encoding")));

        Assert.Equal(["exporters::file::encoding: encoding extensions are not supported by this collector (got \"otlp_encoding\"): use format json or proto."], errors);
    }

    [Fact]
    public void Rejects_DirectoryPermissionsWithoutCreateDirectory()
    {
        var (_, errors) = Bind(Map(("path", "f"), ("directory_permissions", "0755")));

        Assert.Equal(["exporters::file::directory_permissions: directory_permissions requires create_directory to be true."], errors);
    }

    [Fact]
    public void Rejects_InvalidDirectoryPermissions()
    {
        var (_, errors) = Bind(Map(("path", "f"), ("create_directory", "true"), ("directory_permissions", "0999")));

        Assert.Equal(["exporters::file::directory_permissions: directory_permissions value \"0999\" must be a valid octal representation of file access bits, such as 0755."], errors);
    }

    [Fact]
    public void Rejects_NegativeRotationValues()
    {
        var (_, errors) = Bind(Map(("path", "f"), ("rotation", Map(("max_megabytes", "-1"), ("max_backups", "-2"), ("max_days", "-3")))));

        Assert.Equal(
        [
            "exporters::file::rotation::max_megabytes: max_megabytes (-1) must not be negative.",
            "exporters::file::rotation::max_days: max_days (-3) must not be negative.",
            "exporters::file::rotation::max_backups: max_backups (-2) must not be negative.",
        ], errors);
    }

    [Fact]
    public void Rejects_UnknownKeys_InEverySection()
    {
        var (_, errors) = Bind(Map(("path", "f"), ("pth", "x"), ("rotation", Map(("max_mb", "1"))), ("group_by", Map(("enable", "false")))));

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("exporters::file::rotation: has invalid keys: max_mb", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("exporters::file::group_by: has invalid keys: enable", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("exporters::file: has invalid keys: pth", StringComparison.Ordinal));
    }

    private static (FileExporterConfig Config, List<string> Errors) Bind(ConfigMap map)
    {
        var list = new ConfigErrorList();
        var config = (FileExporterConfig)new FileExporterFactory().CreateDefaultConfig();
        config.Bind(new ConfigSection(map, "exporters::file", list));
        if (!list.HasErrors)
        {
            config.Validate(new ValidationErrors(list, "exporters::file"));
        }

        var messages = new List<string>();
        foreach (var error in list.Errors)
        {
            messages.Add(error.ToString());
        }

        return (config, messages);
    }
}
