using System.Diagnostics.Metrics;
using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>
/// A processor's counters with otelcol's names: <c>otelcol_processor_incoming_items</c> and
/// <c>otelcol_processor_outgoing_items</c>, tagged <c>processor</c> and <c>otel.signal</c>.
/// </summary>
public sealed class ProcessorObsReport
{
    private readonly Counter<long> _incoming;
    private readonly Counter<long> _outgoing;
    private readonly KeyValuePair<string, object?>[] _tags;

    /// <summary>Creates the counters for one processor instance and signal.</summary>
    public ProcessorObsReport(ComponentSettings settings, Signal signal)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _tags = [new("processor", settings.Id.ToString()), new("otel.signal", signal.ToName())];
        _incoming = settings.Meter.CreateCounter<long>("otelcol_processor_incoming_items", "{item}", "Number of items passed to the processor.");
        _outgoing = settings.Meter.CreateCounter<long>("otelcol_processor_outgoing_items", "{item}", "Number of items emitted from the processor.");
    }

    /// <summary>Counts items given to the processor.</summary>
    public void Incoming(int items) => _incoming.Add(items, _tags);

    /// <summary>Counts items the processor passed on.</summary>
    public void Outgoing(int items) => _outgoing.Add(items, _tags);
}
