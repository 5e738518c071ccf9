using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Processors.TailSampling;

/// <summary>Creates <c>tail_sampling</c> processors (otelcol-contrib; traces beta).</summary>
public sealed class TailSamplingProcessorFactory : IProcessorFactory
{
    /// <inheritdoc />
    public string Type => "tail_sampling";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Processor;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Beta,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new TailSamplingConfig();

    /// <inheritdoc />
    public IProcessor<T> CreateProcessor<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(next);
        if (typeof(T) != typeof(Traces))
        {
            throw new NotSupportedException($"The tail_sampling processor does not support {typeof(T).Name}.");
        }

        return (IProcessor<T>)(object)new TailSamplingProcessor(settings, (TailSamplingConfig)config, (IConsumer<Traces>)next);
    }
}
