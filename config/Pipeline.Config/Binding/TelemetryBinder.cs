using Pipeline.Abstractions.Configuration;

namespace Pipeline.Config.Binding;

/// <summary>
/// Binds <c>service::telemetry</c> strictly: <c>logs</c> (level, encoding; otelcol's other zap keys accepted and
/// ignored), <c>metrics</c> (level and one pull Prometheus reader; <c>address</c> is rejected as in otelcol ≥ v0.128)
/// and <c>resource</c>.
/// </summary>
internal static class TelemetryBinder
{
    private static readonly string[] LogLevels = ["debug", "info", "warn", "error"];
    private static readonly string[] LogEncodings = ["console", "json"];
    private static readonly string[] MetricsLevels = ["none", "basic", "normal", "detailed"];

    public static void Bind(ConfigSection? telemetry, TelemetryConfig config)
    {
        if (telemetry is null)
        {
            return;
        }

        if (telemetry.GetSection("logs") is { } logs)
        {
            BindLogs(logs, config);
        }

        if (telemetry.GetSection("metrics") is { } metrics)
        {
            BindMetrics(metrics, config);
        }

        BindResource(telemetry, config);
        telemetry.Finish();
    }

    private static void BindLogs(ConfigSection logs, TelemetryConfig config)
    {
        config.LogLevel = logs.GetEnum("level", config.LogLevel, LogLevels, ignoreCase: true);
        config.LogEncoding = logs.GetEnum("encoding", config.LogEncoding, LogEncodings);

        // Accepted so otelcol configs load; Pipeline's console logger has no equivalent.
        logs.GetBool("development", false);
        logs.GetBool("disable_caller", false);
        logs.GetBool("disable_stacktrace", false);
        logs.GetStringList("output_paths", []);
        logs.GetStringList("error_output_paths", []);
        logs.GetStringMap("initial_fields", []);
        if (logs.GetSection("sampling") is { } sampling)
        {
            sampling.GetBool("enabled", true);
            sampling.GetDuration("tick", TimeSpan.FromSeconds(10));
            sampling.GetInt32("initial", 10, min: 0);
            sampling.GetInt32("thereafter", 100, min: 0);
            sampling.Finish();
        }

        logs.Finish();
    }

    private static void BindMetrics(ConfigSection metrics, TelemetryConfig config)
    {
        config.MetricsLevel = metrics.GetEnum("level", config.MetricsLevel, MetricsLevels);
        if (metrics.GetSectionList("readers") is { } readers)
        {
            bool pullSeen = false;
            foreach (var reader in readers)
            {
                if (reader.Has("periodic"))
                {
                    reader.GetNode("periodic");
                    reader.Error("periodic", "periodic readers are not supported; use a pull reader with a prometheus exporter.");
                }

                if (reader.GetSection("pull") is { } pull)
                {
                    if (pullSeen)
                    {
                        pull.Error(string.Empty, "only one pull reader is supported.");
                    }

                    BindPull(pull, config);
                    pullSeen = true;
                }

                reader.Finish();
            }

            config.MetricsPullEnabled = pullSeen;
        }

        metrics.Finish();
    }

    private static void BindPull(ConfigSection pull, TelemetryConfig config)
    {
        if (pull.GetSection("exporter") is { } exporter)
        {
            if (exporter.GetSection("prometheus") is { } prometheus)
            {
                config.MetricsHost = prometheus.GetString("host", config.MetricsHost);
                config.MetricsPort = prometheus.GetInt32("port", config.MetricsPort, min: 0, max: 65535);
                config.WithoutScopeInfo = prometheus.GetBool("without_scope_info", config.WithoutScopeInfo);
                config.WithoutUnits = prometheus.GetBool("without_units", config.WithoutUnits);
                config.WithoutTypeSuffix = prometheus.GetBool("without_type_suffix", config.WithoutTypeSuffix);
                prometheus.Finish();
            }
            else
            {
                exporter.Error(string.Empty, "a pull reader needs a prometheus exporter.");
            }

            exporter.Finish();
        }
        else
        {
            pull.Error(string.Empty, "a pull reader needs an exporter.");
        }

        pull.Finish();
    }

    private static void BindResource(ConfigSection telemetry, TelemetryConfig config)
    {
        var node = telemetry.GetNode("resource");
        switch (node)
        {
            case null:
            case ConfigScalar { IsNull: true }:
                return;
            case ConfigMap map:
                foreach (var entry in map.Entries)
                {
                    if (entry.Value is ConfigScalar scalar)
                    {
                        config.Resource[entry.Key] = scalar.Value;
                    }
                    else
                    {
                        telemetry.Errors.Add(telemetry.PathOf("resource") + "::" + entry.Key, $"expected a string, got a {entry.Value.KindName}.", entry.Value.Location);
                    }
                }

                return;
            default:
                telemetry.Errors.Add(telemetry.PathOf("resource"), $"expected a map, got a {node.KindName}.", node.Location);
                return;
        }
    }
}
