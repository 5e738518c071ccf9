namespace Pipeline.Abstractions;

/// <summary>What the host offers a starting component.</summary>
public interface IComponentHost
{
    /// <summary>The started extension with this ID, or null.</summary>
    IExtension? GetExtension(ComponentId id);
}
