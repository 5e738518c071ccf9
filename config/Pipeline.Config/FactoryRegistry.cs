using Pipeline.Abstractions;

namespace Pipeline.Config;

/// <summary>The factories the host ships, by kind and type (deprecated aliases included).</summary>
public sealed class FactoryRegistry
{
    private readonly Dictionary<(ComponentKind, string), IComponentFactory> _byType = [];
    private readonly List<IComponentFactory> _all = [];

    /// <summary>Registers a factory under its type and its deprecated aliases.</summary>
    public FactoryRegistry Add(IComponentFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _all.Add(factory);
        _byType.Add((factory.Kind, factory.Type), factory);
        foreach (var alias in factory.DeprecatedAliases)
        {
            _byType.Add((factory.Kind, alias), factory);
        }

        return this;
    }

    /// <summary>Every registered factory, in registration order.</summary>
    public IReadOnlyList<IComponentFactory> All => _all;

    /// <summary>Finds the factory for a type (or alias).</summary>
    public IComponentFactory? Find(ComponentKind kind, string type) => _byType.GetValueOrDefault((kind, type));

    /// <summary>The types (not aliases) of a kind, sorted, for "valid values" in errors.</summary>
    public IReadOnlyList<string> TypesOf(ComponentKind kind)
    {
        var types = new List<string>();
        foreach (var f in _all)
        {
            if (f.Kind == kind)
            {
                types.Add(f.Type);
            }
        }

        types.Sort(StringComparer.Ordinal);
        return types;
    }
}
