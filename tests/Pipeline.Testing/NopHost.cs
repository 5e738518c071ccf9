using Pipeline.Abstractions;

namespace Pipeline.Testing;

/// <summary>A host with no extensions.</summary>
public sealed class NopHost : IComponentHost
{
    /// <summary>The shared instance.</summary>
    public static NopHost Instance { get; } = new();

    /// <inheritdoc />
    public IExtension? GetExtension(ComponentId id) => null;
}
