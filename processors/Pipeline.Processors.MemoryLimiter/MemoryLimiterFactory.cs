using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Processors.MemoryLimiter;

/// <summary>Factory of <c>memory_limiter</c>. One limiter per component ID, shared by all its pipelines (as otelcol).</summary>
public sealed class MemoryLimiterFactory : IProcessorFactory
{
    private readonly Dictionary<ComponentId, MemoryLimiter> _shared = [];
    private readonly Func<long>? _measure;
    private readonly long? _availableBytes;

    /// <summary>Creates the factory.</summary>
    public MemoryLimiterFactory()
    {
    }

    /// <summary>Creates a factory with an injected memory measurement (tests).</summary>
    internal MemoryLimiterFactory(Func<long> measure, long availableBytes)
    {
        _measure = measure;
        _availableBytes = availableBytes;
    }

    /// <inheritdoc />
    public string Type => "memory_limiter";

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
    public IComponentConfig CreateDefaultConfig() => new MemoryLimiterConfig();

    /// <inheritdoc />
    public IProcessor<T> CreateProcessor<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        var cfg = (MemoryLimiterConfig)config;
        MemoryLimiter limiter;
        lock (_shared)
        {
            if (!_shared.TryGetValue(settings.Id, out limiter!))
            {
                limiter = new MemoryLimiter(cfg, settings.Logger, settings.TimeProvider, _availableBytes ?? AvailableMemory.Read(), _measure);
                _shared.Add(settings.Id, limiter);
            }
        }

        var signal = typeof(T) == typeof(Traces) ? Signal.Traces : typeof(T) == typeof(Metrics) ? Signal.Metrics : Signal.Logs;
        return new MemoryLimiterProcessor<T>(settings, limiter, next, signal);
    }
}
