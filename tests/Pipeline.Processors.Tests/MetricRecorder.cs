using System.Diagnostics.Metrics;

namespace Pipeline.Processors.Tests;

/// <summary>Records every long measurement of one meter: sums per instrument, and the raw values.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, List<long>> _values = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public MetricRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
        {
            lock (_gate)
            {
                if (!_values.TryGetValue(instrument.Name, out var list))
                {
                    _values[instrument.Name] = list = [];
                }

                list.Add(value);
            }
        });
        _listener.Start();
    }

    public long Sum(string name)
    {
        lock (_gate)
        {
            long sum = 0;
            if (_values.TryGetValue(name, out var list))
            {
                foreach (long v in list)
                {
                    sum += v;
                }
            }

            return sum;
        }
    }

    public List<long> Values(string name)
    {
        lock (_gate)
        {
            return _values.TryGetValue(name, out var list) ? [.. list] : [];
        }
    }

    public void Dispose() => _listener.Dispose();
}
