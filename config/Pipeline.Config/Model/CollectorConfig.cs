using Pipeline.Abstractions;

namespace Pipeline.Config;

/// <summary>The resolved, bound and validated collector config: what the host builds the graph from.</summary>
public sealed class CollectorConfig
{
    /// <summary>Configured receivers by ID (including ones no pipeline uses: validated, never built).</summary>
    public Dictionary<ComponentId, ComponentEntry> Receivers { get; } = [];

    /// <summary>Configured processors by ID.</summary>
    public Dictionary<ComponentId, ComponentEntry> Processors { get; } = [];

    /// <summary>Configured exporters by ID.</summary>
    public Dictionary<ComponentId, ComponentEntry> Exporters { get; } = [];

    /// <summary>Configured connectors by ID.</summary>
    public Dictionary<ComponentId, ComponentEntry> Connectors { get; } = [];

    /// <summary>Configured extensions by ID.</summary>
    public Dictionary<ComponentId, ComponentEntry> Extensions { get; } = [];

    /// <summary>The <c>service</c> section.</summary>
    public ServiceConfig Service { get; } = new();

    /// <summary>The section of a kind.</summary>
    public Dictionary<ComponentId, ComponentEntry> Section(ComponentKind kind) => kind switch
    {
        ComponentKind.Receiver => Receivers,
        ComponentKind.Processor => Processors,
        ComponentKind.Exporter => Exporters,
        ComponentKind.Connector => Connectors,
        ComponentKind.Extension => Extensions,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
