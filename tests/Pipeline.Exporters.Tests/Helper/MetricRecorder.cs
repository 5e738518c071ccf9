using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Pipeline.Exporters.Tests.Helper;

/// <summary>Sums the long counters of one meter by instrument name.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();

    public MetricRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _sums.AddOrUpdate(instrument.Name, value, (_, old) => old + value));
        _listener.Start();
    }

    public long Sum(string name) => _sums.GetValueOrDefault(name);

    public void Dispose() => _listener.Dispose();
}
