using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Extensions.HealthCheck;

/// <summary>Factory of the <c>health_check</c> extension.</summary>
public sealed class HealthCheckFactory : IExtensionFactory
{
    /// <inheritdoc />
    public string Type => "health_check";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Extension;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>();

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new HealthCheckConfig();

    /// <inheritdoc />
    public IExtension CreateExtension(ComponentSettings settings, IComponentConfig config) =>
        new HealthCheckExtension((HealthCheckConfig)config, settings);
}
