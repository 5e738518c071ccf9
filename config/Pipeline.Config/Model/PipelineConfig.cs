using Pipeline.Abstractions;

namespace Pipeline.Config;

/// <summary>One pipeline: receivers → processors (in order) → exporters.</summary>
public sealed class PipelineConfig
{
    /// <summary>Receiver (or connector) IDs.</summary>
    public List<ComponentId> Receivers { get; } = [];

    /// <summary>Processor IDs, in order.</summary>
    public List<ComponentId> Processors { get; } = [];

    /// <summary>Exporter (or connector) IDs.</summary>
    public List<ComponentId> Exporters { get; } = [];
}
