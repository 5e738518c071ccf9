using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Host.Logging;

namespace Pipeline.Host.Tests.Logging;

public sealed class CollectorLoggerProviderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));

    [Fact]
    public void Log_Console_WritesTimestampLevelCategoryAndMessage()
    {
        var output = new StringWriter();
        using var loggers = CollectorLoggerProvider.CreateFactory(output, LogEncoding.Console, LogLevel.Information, _time);

        loggers.CreateLogger("receivers::otlp").LogInformation("Starting GRPC server on {Endpoint}.", "localhost:4317");

        Assert.Equal("2026-01-02T03:04:05.678Z\tinfo\treceivers::otlp\tStarting GRPC server on localhost:4317.\n", output.ToString());
    }

    [Fact]
    public void Log_BelowConfiguredLevel_IsDropped()
    {
        var output = new StringWriter();
        using var loggers = CollectorLoggerProvider.CreateFactory(output, LogEncoding.Console, LogLevel.Warning, _time);
        var logger = loggers.CreateLogger("service");

        logger.LogInformation("Hidden.");
        logger.LogWarning("Shown.");

        Assert.Equal("2026-01-02T03:04:05.678Z\twarn\tservice\tShown.\n", output.ToString());
    }

    [Fact]
    public void Log_Json_WritesOneObjectPerLineWithComponentAndFields()
    {
        var output = new StringWriter();
        using var loggers = CollectorLoggerProvider.CreateFactory(output, LogEncoding.Json, LogLevel.Debug, _time);

        loggers.CreateLogger("exporters::otlp_grpc/backend").LogError(new InvalidOperationException("connection refused"), "Exporting failed after {Attempts} attempts.", 5);

        string line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("error", root.GetProperty("level").GetString());
        Assert.Equal("2026-01-02T03:04:05.6780000Z", root.GetProperty("ts").GetString());
        Assert.Equal("exporters::otlp_grpc/backend", root.GetProperty("logger").GetString());
        Assert.Equal("Exporting failed after 5 attempts.", root.GetProperty("msg").GetString());
        Assert.Equal("exporter", root.GetProperty("otelcol.component.kind").GetString());
        Assert.Equal("otlp_grpc/backend", root.GetProperty("otelcol.component.id").GetString());
        Assert.Equal(5, root.GetProperty("Attempts").GetInt32());
        Assert.Equal("connection refused", root.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    public void TryParseLevel_OtelcolNames_MapToLevels(string name, LogLevel expected)
    {
        bool ok = CollectorLoggerProvider.TryParseLevel(name, out var level);

        Assert.True(ok);
        Assert.Equal(expected, level);
    }
}
