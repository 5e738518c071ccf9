namespace Pipeline.Config;

/// <summary><c>service::telemetry</c>: the collector's own logs and metrics.</summary>
public sealed class TelemetryConfig
{
    /// <summary><c>logs::level</c>: debug, info (default), warn, error.</summary>
    public string LogLevel { get; set; } = "info";

    /// <summary><c>logs::encoding</c>: console (default) or json.</summary>
    public string LogEncoding { get; set; } = "console";

    /// <summary><c>metrics::level</c>: none, basic, normal (default), detailed.</summary>
    public string MetricsLevel { get; set; } = "normal";

    /// <summary>Host of the Prometheus pull reader (default localhost).</summary>
    public string MetricsHost { get; set; } = "localhost";

    /// <summary>Port of the Prometheus pull reader (default 8888).</summary>
    public int MetricsPort { get; set; } = 8888;
}
