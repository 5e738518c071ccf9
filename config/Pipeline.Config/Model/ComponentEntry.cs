using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;

namespace Pipeline.Config;

/// <summary>One configured component: its ID, the factory of its type, and its bound config.</summary>
/// <param name="Id">The ID as written (a deprecated alias type is kept as written).</param>
/// <param name="Factory">The factory for the type.</param>
/// <param name="Config">The bound, validated config.</param>
/// <param name="Location">Where the component was configured.</param>
public sealed record ComponentEntry(ComponentId Id, IComponentFactory Factory, IComponentConfig Config, SourceLocation? Location)
{
    /// <summary>True when the type written is a deprecated alias of the factory's type.</summary>
    public bool UsesDeprecatedAlias => Id.Type != Factory.Type;
}
