using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Exporters.OtlpHttp;

/// <summary>The <c>otlp_http</c> exporter (deprecated alias <c>otlphttp</c>) for traces, metrics and logs.</summary>
public sealed class OtlpHttpFactory : IExporterFactory
{
    /// <inheritdoc />
    public string Type => "otlp_http";

    /// <inheritdoc />
    public IReadOnlyList<string> DeprecatedAliases { get; } = ["otlphttp"];

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
    public IComponentConfig CreateDefaultConfig() => new OtlpHttpConfig();

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Neither the signal's endpoint nor <c>endpoint</c> is set.</exception>
    public IExporter<T> CreateExporter<T>(ComponentSettings settings, IComponentConfig config)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (config is not OtlpHttpConfig http)
        {
            throw new ArgumentException($"Expected {nameof(OtlpHttpConfig)}, got {config?.GetType().Name ?? "null"}.", nameof(config));
        }

        var signal = SignalOf<T>();
        string url = http.UrlFor(signal);
        if (url.Length == 0)
        {
            throw new InvalidOperationException($"exporters::{settings.Id}: {signal.ToName()}_endpoint or endpoint must be set to export {signal.ToName()}.");
        }

        return new OtlpHttpExporter<T>(settings, http, url);
    }

    private static Signal SignalOf<T>()
        where T : TelemetryData
    {
        if (typeof(T) == typeof(Traces))
        {
            return Signal.Traces;
        }

        return typeof(T) == typeof(Metrics) ? Signal.Metrics : Signal.Logs;
    }
}
