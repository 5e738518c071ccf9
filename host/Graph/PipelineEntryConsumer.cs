using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Host.Graph;

/// <summary>
/// The first consumer of a pipeline (otelcol's capabilities node): it declares that the pipeline mutates data when any
/// of its processors does, so a receiver's fan-out clones for it.
/// </summary>
/// <typeparam name="T">The signal's batch type.</typeparam>
internal sealed class PipelineEntryConsumer<T> : IConsumer<T>
    where T : TelemetryData
{
    private readonly IConsumer<T> _next;

    /// <summary>Creates the entry.</summary>
    public PipelineEntryConsumer(PipelineId pipeline, IConsumer<T> next, bool mutatesData)
    {
        Pipeline = pipeline;
        _next = next;
        Capabilities = new ConsumerCapabilities(mutatesData);
    }

    /// <summary>The pipeline this enters.</summary>
    public PipelineId Pipeline { get; }

    /// <inheritdoc />
    public ConsumerCapabilities Capabilities { get; }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken) => _next.ConsumeAsync(data, cancellationToken);
}
