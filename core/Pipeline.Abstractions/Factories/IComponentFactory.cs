using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>What every factory declares: its type, aliases, per-signal stability and default config.</summary>
public interface IComponentFactory
{
    /// <summary>The component type written in config, e.g. <c>otlp_grpc</c>.</summary>
    string Type { get; }

    /// <summary>Deprecated type names still accepted (a WARN is logged when used), e.g. <c>otlp</c>.</summary>
    IReadOnlyList<string> DeprecatedAliases => [];

    /// <summary>The kind of component this factory makes.</summary>
    ComponentKind Kind { get; }

    /// <summary>Stability per supported signal; a signal absent here is not supported.</summary>
    IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; }

    /// <summary>A new config holding every default. Defaults live only here.</summary>
    IComponentConfig CreateDefaultConfig();
}
