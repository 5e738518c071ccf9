using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Attributes;

/// <summary>Creates <c>attributes</c> processors (otelcol-contrib <c>processor/attributesprocessor</c>; beta for all signals).</summary>
public sealed class AttributesProcessorFactory : IProcessorFactory
{
    /// <inheritdoc />
    public string Type => "attributes";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Processor;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Beta,
        [Signal.Metrics] = StabilityLevel.Beta,
        [Signal.Logs] = StabilityLevel.Beta,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new AttributesConfig();

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">An include/exclude block breaks the signal's rules (otelcol's
    /// message, e.g. <c>log_bodies should not be specified for trace spans</c>).</exception>
    public IProcessor<T> CreateProcessor<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(next);
        var c = (AttributesConfig)config;
        var signal = typeof(T) == typeof(Traces) ? Signal.Traces
            : typeof(T) == typeof(Metrics) ? Signal.Metrics
            : typeof(T) == typeof(Logs) ? Signal.Logs
            : throw new NotSupportedException($"The attributes processor does not support {typeof(T).Name}.");
        return new AttributesProcessor<T>(settings, signal, c.GetActions(), Compile(c.Include, signal), Compile(c.Exclude, signal), next);
    }

    private static PropertiesMatcher? Compile(MatchPropertiesConfig? properties, Signal signal)
    {
        if (properties is null)
        {
            return null;
        }

        string? error = signal switch
        {
            Signal.Traces => properties.ValidateForSpans(),
            Signal.Logs => properties.ValidateForLogs(),
            _ => null,
        };
        if (error is not null)
        {
            throw new InvalidOperationException(error);
        }

        return new PropertiesMatcher(properties);
    }
}
