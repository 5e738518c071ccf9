using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Extensions.FileStorage;

/// <summary>Factory of the <c>file_storage</c> extension.</summary>
public sealed class FileStorageFactory : IExtensionFactory
{
    /// <inheritdoc />
    public string Type => "file_storage";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Extension;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>();

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new FileStorageConfig();

    /// <inheritdoc />
    public IExtension CreateExtension(ComponentSettings settings, IComponentConfig config) =>
        new FileStorageExtension((FileStorageConfig)config, settings);
}
