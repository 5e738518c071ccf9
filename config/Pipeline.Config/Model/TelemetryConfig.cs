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

    /// <summary>False when <c>metrics::readers</c> is written and has no pull (Prometheus) reader: no metrics endpoint.</summary>
    public bool MetricsPullEnabled { get; set; } = true;

    /// <summary><c>without_scope_info</c> of the Prometheus pull exporter (default false).</summary>
    public bool WithoutScopeInfo { get; set; }

    /// <summary><c>without_units</c> of the Prometheus pull exporter (default false).</summary>
    public bool WithoutUnits { get; set; }

    /// <summary><c>without_type_suffix</c> of the Prometheus pull exporter (default false).</summary>
    public bool WithoutTypeSuffix { get; set; }

    /// <summary><c>telemetry::resource</c>: attributes of the collector's own telemetry; a null value removes the
    /// attribute the collector would otherwise set.</summary>
    public Dictionary<string, string?> Resource { get; } = new(StringComparer.Ordinal);
}
