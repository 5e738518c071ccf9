using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.OtlpGrpc;

/// <summary>The <c>otlp_grpc</c> exporter (deprecated alias <c>otlp</c>) for traces, metrics and logs.</summary>
public sealed class OtlpGrpcFactory : IExporterFactory
{
    /// <inheritdoc />
    public string Type => "otlp_grpc";

    /// <inheritdoc />
    public IReadOnlyList<string> DeprecatedAliases { get; } = ["otlp"];

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Exporter;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Stable,
        [Signal.Metrics] = StabilityLevel.Stable,
        [Signal.Logs] = StabilityLevel.Stable,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new OtlpGrpcConfig();

    /// <inheritdoc />
    public IExporter<T> CreateExporter<T>(ComponentSettings settings, IComponentConfig config)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (config is not OtlpGrpcConfig grpc)
        {
            throw new ArgumentException($"Expected {nameof(OtlpGrpcConfig)}, got {config?.GetType().Name ?? "null"}.", nameof(config));
        }

        return new OtlpGrpcExporter<T>(settings, grpc);
    }
}
