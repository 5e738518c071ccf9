using Pipeline.Abstractions;

namespace Pipeline.Host.Graph;

/// <summary>What a starting component can ask the host: the configured extensions.</summary>
internal sealed class ComponentHost : IComponentHost
{
    private readonly Dictionary<ComponentId, IExtension> _extensions = [];

    /// <summary>Creates the host over the built extensions.</summary>
    public ComponentHost(IReadOnlyList<GraphComponent> extensions)
    {
        foreach (var extension in extensions)
        {
            _extensions[extension.Id] = (IExtension)extension.Component;
        }
    }

    /// <inheritdoc />
    public IExtension? GetExtension(ComponentId id) => _extensions.GetValueOrDefault(id);
}
