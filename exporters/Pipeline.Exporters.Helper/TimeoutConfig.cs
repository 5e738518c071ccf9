using Pipeline.Abstractions.Configuration;

namespace Pipeline.Exporters.Helper;

/// <summary>The exporter's top-level <c>timeout</c> key (exporterhelper's TimeoutConfig, squashed into the exporter).</summary>
public sealed class TimeoutConfig
{
    /// <summary>How long one send attempt may take; 0 means no limit. Default 5s (the exporter's factory may change it).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads <c>timeout</c> from the exporter's own section (no nested map, so no Finish here).</summary>
    public void Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Timeout = section.GetDuration("timeout", Timeout);
    }
}
