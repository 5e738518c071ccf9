using System.Diagnostics.Metrics;
using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>
/// An exporter's counters with otelcol's names: <c>otelcol_exporter_sent_*</c>, <c>otelcol_exporter_send_failed_*</c>,
/// <c>otelcol_exporter_enqueue_failed_*</c> (tagged <c>exporter</c>), and the queue gauges
/// <c>otelcol_exporter_queue_size</c> / <c>otelcol_exporter_queue_capacity</c> (tagged <c>exporter</c>, <c>data_type</c>).
/// </summary>
public sealed class ExporterObsReport
{
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _sendFailed;
    private readonly Counter<long> _enqueueFailed;

    /// <summary>Creates the counters for one exporter and signal.</summary>
    public ExporterObsReport(ComponentSettings settings, Signal signal)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Signal = signal;
        _tags = [new("exporter", settings.Id.ToString())];
        string item = signal.ItemName();
        string unit = "{" + item + "}";
        _sent = settings.Meter.CreateCounter<long>("otelcol_exporter_sent_" + item, unit, "Number of items successfully sent to destination.");
        _sendFailed = settings.Meter.CreateCounter<long>("otelcol_exporter_send_failed_" + item, unit, "Number of items in failed attempts to send to destination.");
        _enqueueFailed = settings.Meter.CreateCounter<long>("otelcol_exporter_enqueue_failed_" + item, unit, "Number of items failed to be added to the sending queue.");
    }

    /// <summary>The exporter's settings.</summary>
    public ComponentSettings Settings { get; }

    /// <summary>The signal.</summary>
    public Signal Signal { get; }

    /// <summary>Counts items delivered.</summary>
    public void Sent(int items) => _sent.Add(items, _tags);

    /// <summary>Counts items whose delivery finally failed.</summary>
    public void SendFailed(int items) => _sendFailed.Add(items, _tags);

    /// <summary>Counts items refused because the queue was full.</summary>
    public void EnqueueFailed(int items) => _enqueueFailed.Add(items, _tags);

    /// <summary>Publishes the queue's size and capacity gauges.</summary>
    public void ObserveQueue(Func<long> size, long capacity)
    {
        var tags = new KeyValuePair<string, object?>[] { _tags[0], new("data_type", Signal.ToName()) };
        Settings.Meter.CreateObservableGauge("otelcol_exporter_queue_size", () => new Measurement<long>(size(), tags), "{batch}", "Current size of the retry queue (in batches).");
        Settings.Meter.CreateObservableGauge("otelcol_exporter_queue_capacity", () => new Measurement<long>(capacity, tags), "{batch}", "Fixed capacity of the retry queue (in batches).");
    }
}
