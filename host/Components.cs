using Pipeline.Config;
using Pipeline.Exporters.Debug;
using Pipeline.Exporters.Nop;

namespace Pipeline.Host;

/// <summary>The factories this distribution ships: an explicit list, so the host needs no reflection.</summary>
internal static class Components
{
    /// <summary>Creates the registry of every shipped factory.</summary>
    public static FactoryRegistry Create()
    {
        var registry = new FactoryRegistry();
        registry.Add(new DebugExporterFactory());
        registry.Add(new NopExporterFactory());
        return registry;
    }
}
