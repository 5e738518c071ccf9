using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Filter;

/// <summary>Creates <c>filter</c> processors (otelcol-contrib <c>processor/filterprocessor</c>; alpha for traces,
/// metrics and logs).</summary>
public sealed class FilterProcessorFactory : IProcessorFactory
{
    /// <inheritdoc />
    public string Type => "filter";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Processor;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Alpha,
        [Signal.Metrics] = StabilityLevel.Alpha,
        [Signal.Logs] = StabilityLevel.Alpha,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new FilterConfig();

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A condition does not compile.</exception>
    public IProcessor<T> CreateProcessor<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(next);
        var c = (FilterConfig)config;
        var signal = typeof(T) == typeof(Traces) ? Signal.Traces
            : typeof(T) == typeof(Metrics) ? Signal.Metrics
            : typeof(T) == typeof(Logs) ? Signal.Logs
            : throw new NotSupportedException($"The filter processor does not support {typeof(T).Name}.");
        return new FilterProcessor<T>(settings, signal, c.GetPlan(), next);
    }
}
