using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Batch;

/// <summary>Creates <c>batch</c> processors (otelcol <c>processor/batchprocessor</c>, beta for all signals).</summary>
public sealed class BatchProcessorFactory : IProcessorFactory
{
    /// <inheritdoc />
    public string Type => "batch";

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
    public IComponentConfig CreateDefaultConfig() => new BatchConfig();

    /// <inheritdoc />
    public IProcessor<T> CreateProcessor<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(next);
        var batch = (BatchConfig)config;
        var ops = BatchOps<T>.For();
        if (batch.MetadataKeys.Count == 0)
        {
            return new BatchProcessor<T>(settings, batch, new ClientStampConsumer<T>(next, ClientInfo.Empty), ops);
        }

        return new MetadataBatchProcessor<T>(batch.MetadataKeys, batch.MetadataCardinalityLimit, next, stamped => new BatchProcessor<T>(settings, batch, stamped, ops));
    }
}
