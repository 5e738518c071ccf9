using Pipeline.Abstractions.Configuration;
namespace Pipeline.Abstractions;

/// <summary>Creates extensions.</summary>
public interface IExtensionFactory : IComponentFactory
{
    /// <summary>Creates the extension.</summary>
    IExtension CreateExtension(ComponentSettings settings, IComponentConfig config);
}
