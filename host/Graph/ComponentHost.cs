using Pipeline.Abstractions;

namespace Pipeline.Host.Graph;

/// <summary>What a starting component can ask the host: the configured extensions and the collector's own endpoints.</summary>
internal sealed class ComponentHost : IComponentHost, ICollectorEndpoints
{
    private readonly Dictionary<ComponentId, IExtension> _extensions = [];
    private readonly ICollectorEndpoints _endpoints;

    /// <summary>Creates the host over the built extensions.</summary>
    public ComponentHost(IReadOnlyList<GraphComponent> extensions, ICollectorEndpoints? endpoints = null)
    {
        _endpoints = endpoints ?? CollectorEndpoints.None;
        foreach (var extension in extensions)
        {
            _extensions[extension.Id] = (IExtension)extension.Component;
        }
    }

    /// <inheritdoc />
    public IExtension? GetExtension(ComponentId id) => _extensions.GetValueOrDefault(id);

    /// <inheritdoc />
    public IReadOnlyList<string> ListenEndpoints => _endpoints.ListenEndpoints;

    /// <inheritdoc />
    public IReadOnlyList<string> DestinationEndpoints => _endpoints.DestinationEndpoints;
}
