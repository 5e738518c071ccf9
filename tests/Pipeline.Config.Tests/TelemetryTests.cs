namespace Pipeline.Config.Tests;

public sealed class TelemetryTests
{
    private static string WithTelemetry(string telemetry) => Load.MinimalPipeline + "\n  telemetry:\n" + telemetry;

    [Fact]
    public void Load_NoTelemetry_KeepsDefaults()
    {
        var telemetry = Load.Yaml(Load.MinimalPipeline).Service.Telemetry;

        Assert.Equal(("info", "console", "normal", "localhost", 8888, true), (telemetry.LogLevel, telemetry.LogEncoding, telemetry.MetricsLevel, telemetry.MetricsHost, telemetry.MetricsPort, telemetry.MetricsPullEnabled));
    }

    [Fact]
    public void Accepts_OtelcolLogKeysItDoesNotUse()
    {
        var telemetry = Load.Yaml(WithTelemetry("""
                logs:
                  level: WARN
                  development: false
                  disable_caller: true
                  disable_stacktrace: true
                  sampling:
                    enabled: true
                    tick: 10s
                    initial: 10
                    thereafter: 100
                  output_paths: [stdout]
                  error_output_paths: [stderr]
                  initial_fields:
                    host: a
            """)).Service.Telemetry;

        Assert.Equal("warn", telemetry.LogLevel);
    }

    [Fact]
    public void Rejects_MetricsAddress_AsInNewerOtelcol()
    {
        var errors = Load.Errors(WithTelemetry("    metrics:\n      address: 0.0.0.0:8888\n"));

        Assert.Equal(["service::telemetry::metrics: has invalid keys: address. (test.yaml:12:7)"], errors);
    }

    [Fact]
    public void Rejects_UnknownLogLevelAndEncoding()
    {
        var errors = Load.Errors(WithTelemetry("    logs:\n      level: verbose\n      encoding: xml\n"));

        Assert.Equal(
            [
                "service::telemetry::logs::level: unsupported value \"verbose\": must be one of debug, info, warn, error. (test.yaml:12:14)",
                "service::telemetry::logs::encoding: unsupported value \"xml\": must be one of console, json. (test.yaml:13:17)",
            ],
            errors);
    }

    [Fact]
    public void Rejects_PeriodicReader()
    {
        var errors = Load.Errors(WithTelemetry("    metrics:\n      readers:\n        - periodic:\n            exporter:\n              otlp: {}\n"));

        Assert.Equal(["service::telemetry::metrics::readers::0::periodic: periodic readers are not supported; use a pull reader with a prometheus exporter. (test.yaml:13:11)"], errors);
    }

    [Fact]
    public void Load_EmptyReaderList_DisablesTheMetricsEndpoint()
    {
        var telemetry = Load.Yaml(WithTelemetry("    metrics:\n      level: none\n      readers: []\n")).Service.Telemetry;

        Assert.False(telemetry.MetricsPullEnabled);
        Assert.Equal("none", telemetry.MetricsLevel);
    }

    [Fact]
    public void Rejects_UnknownTelemetryKey()
    {
        var errors = Load.Errors(WithTelemetry("    unknown: 1\n"));

        Assert.Equal(["service::telemetry: has invalid keys: unknown. (test.yaml:11:5)"], errors);
    }
}
