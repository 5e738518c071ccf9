using System.Diagnostics.Metrics;
using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Processors.Batch;

/// <summary>The batch processor's own metrics, with otelcol's names (processor/batchprocessor/documentation.md),
/// plus a failure counter otelcol lacks because it drops silently (its issue #12443).</summary>
internal sealed class BatchTelemetry
{
    private readonly Histogram<long> _sendSize;
    private readonly Counter<long> _sizeTrigger;
    private readonly Counter<long> _timeoutTrigger;
    private readonly Counter<long> _failedItems;
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly KeyValuePair<string, object?>[] _signalTags;

    public BatchTelemetry(ComponentSettings settings, Signal signal)
    {
        _tags = [new("processor", settings.Id.ToString())];
        _signalTags = [new("processor", settings.Id.ToString()), new("otel.signal", signal.ToName())];
        var meter = settings.Meter;
        _sendSize = meter.CreateHistogram<long>("otelcol_processor_batch_batch_send_size", "{item}", "Number of units in the batch.");
        _sizeTrigger = meter.CreateCounter<long>("otelcol_processor_batch_batch_size_trigger_send", "{time}", "Number of times the batch was sent due to a size trigger.");
        _timeoutTrigger = meter.CreateCounter<long>("otelcol_processor_batch_timeout_trigger_send", "{time}", "Number of times the batch was sent due to a timeout trigger.");
        _failedItems = meter.CreateCounter<long>("otelcol_processor_batch_send_failed_items", "{item}", "Number of items in batches the next consumer refused.");
    }

    public void Sent(int items, BatchTrigger trigger)
    {
        _sendSize.Record(items, _tags);
        switch (trigger)
        {
            case BatchTrigger.Size:
                _sizeTrigger.Add(1, _tags);
                break;
            case BatchTrigger.Timeout:
                _timeoutTrigger.Add(1, _tags);
                break;
        }
    }

    public void Failed(int items) => _failedItems.Add(items, _signalTags);
}
