using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Processors.ProbabilisticSampler;

/// <summary>Creates <c>probabilistic_sampler</c> processors (otelcol-contrib; traces beta, logs alpha).</summary>
public sealed class ProbabilisticSamplerProcessorFactory : IProcessorFactory
{
    /// <inheritdoc />
    public string Type => "probabilistic_sampler";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Processor;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Beta,
        [Signal.Logs] = StabilityLevel.Alpha,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new ProbabilisticSamplerConfig();

    /// <inheritdoc />
    public IProcessor<T> CreateProcessor<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(next);
        var signal = typeof(T) == typeof(Traces) ? Signal.Traces
            : typeof(T) == typeof(Logs) ? Signal.Logs
            : throw new NotSupportedException($"The probabilistic_sampler processor does not support {typeof(T).Name}.");
        return new ProbabilisticSamplerProcessor<T>(settings, (ProbabilisticSamplerConfig)config, signal, next);
    }
}
