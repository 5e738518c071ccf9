using System.Diagnostics.Metrics;
using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>
/// A receiver's counters with otelcol's names: <c>otelcol_receiver_accepted_{spans,metric_points,log_records}</c> and
/// <c>otelcol_receiver_refused_*</c>, tagged <c>receiver</c> and <c>transport</c>. Count once per request, never per item.
/// </summary>
public sealed class ReceiverObsReport
{
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly Counter<long>[] _accepted = new Counter<long>[3];
    private readonly Counter<long>[] _refused = new Counter<long>[3];

    /// <summary>Creates the counters for one receiver and transport (<c>grpc</c>, <c>http</c>, <c>ebpf</c>…).</summary>
    public ReceiverObsReport(ComponentSettings settings, string transport)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _tags = [new("receiver", settings.Id.ToString()), new("transport", transport)];
        foreach (var signal in (ReadOnlySpan<Signal>)[Signal.Traces, Signal.Metrics, Signal.Logs])
        {
            string item = signal.ItemName();
            _accepted[(int)signal] = settings.Meter.CreateCounter<long>("otelcol_receiver_accepted_" + item, "{" + item + "}", "Number of items successfully pushed into the pipeline.");
            _refused[(int)signal] = settings.Meter.CreateCounter<long>("otelcol_receiver_refused_" + item, "{" + item + "}", "Number of items that could not be pushed into the pipeline.");
        }
    }

    /// <summary>Counts items the pipeline accepted.</summary>
    public void Accepted(Signal signal, int items) => _accepted[(int)signal].Add(items, _tags);

    /// <summary>Counts items the pipeline refused.</summary>
    public void Refused(Signal signal, int items) => _refused[(int)signal].Add(items, _tags);
}
