using Pipeline.Abstractions;

namespace Pipeline.Config;

/// <summary>The <c>service</c> section.</summary>
public sealed class ServiceConfig
{
    /// <summary><c>service::extensions</c>, in start order.</summary>
    public List<ComponentId> Extensions { get; } = [];

    /// <summary><c>service::pipelines</c>, in the order written.</summary>
    public Dictionary<PipelineId, PipelineConfig> Pipelines { get; } = [];

    /// <summary><c>service::telemetry</c>.</summary>
    public TelemetryConfig Telemetry { get; } = new();
}
