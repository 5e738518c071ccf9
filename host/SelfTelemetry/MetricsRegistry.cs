using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Pipeline.Host.SelfTelemetry;

/// <summary>
/// Aggregates the collector's own instruments (every instrument of the given meters: counters, up-down counters,
/// gauges, histograms) and renders them in the Prometheus text format with otelcol's default naming: instrument
/// names as they are, no <c>_total</c> and no unit suffixes (otelcol's reader defaults without_type_suffix and
/// without_units).
/// </summary>
internal sealed class MetricsRegistry : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<InstrumentState> _instruments = [];
    private readonly HashSet<string> _meterNames;

    public MetricsRegistry(params string[] meterNames)
    {
        _meterNames = new HashSet<string>(meterNames, StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!_meterNames.Contains(instrument.Meter.Name))
            {
                return;
            }

            var state = new InstrumentState(instrument);
            lock (_instruments)
            {
                _instruments.Add(state);
            }

            listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.SetMeasurementEventCallback<long>(static (i, v, tags, s) => ((InstrumentState)s!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>(static (i, v, tags, s) => ((InstrumentState)s!).Record(v, tags));
        _listener.SetMeasurementEventCallback<double>(static (i, v, tags, s) => ((InstrumentState)s!).Record(v, tags));
        _listener.Start();
    }

    /// <summary>Renders every series in the Prometheus text exposition format (version 0.0.4).</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        InstrumentState[] instruments;
        lock (_instruments)
        {
            instruments = [.. _instruments];
        }

        // Several instruments may share one name (one per component instance): render each name once. Characters
        // Prometheus does not allow in names (the dots of otelcol_processor_filter_spans.filtered) become '_', as
        // otelcol's Prometheus exporter writes them.
        var byName = new SortedDictionary<string, List<InstrumentState>>(StringComparer.Ordinal);
        foreach (var state in instruments)
        {
            string name = InstrumentState.SanitizeName(state.Instrument.Name);
            if (!byName.TryGetValue(name, out var list))
            {
                byName[name] = list = [];
            }

            list.Add(state);
        }

        var text = new StringBuilder(4096);
        foreach (var (name, states) in byName)
        {
            var first = states[0];
            if (first.Instrument.Description is { Length: > 0 } help)
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            }

            text.Append("# TYPE ").Append(name).Append(' ').Append(first.PrometheusType).Append('\n');
            var merged = new SortedDictionary<string, Series>(StringComparer.Ordinal);
            foreach (var state in states)
            {
                state.MergeInto(merged);
            }

            foreach (var (labels, series) in merged)
            {
                series.Render(text, name, labels);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Per-instrument series, keyed by tag values. Lookups compare tags without allocating.</summary>
    private sealed class InstrumentState
    {
        private static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
        private readonly object _gate = new();
        private readonly List<(KeyValuePair<string, object?>[] Tags, Series Series)> _series = [];

        public InstrumentState(Instrument instrument)
        {
            Instrument = instrument;
            Kind = instrument switch
            {
                Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => SeriesKind.Counter,
                Histogram<long> or Histogram<int> or Histogram<double> => SeriesKind.Histogram,
                _ => SeriesKind.Gauge,
            };
            IsObservable = instrument.IsObservable;
        }

        public Instrument Instrument { get; }

        public SeriesKind Kind { get; }

        public bool IsObservable { get; }

        public string PrometheusType => Kind switch
        {
            SeriesKind.Counter => "counter",
            SeriesKind.Histogram => "histogram",
            _ => "gauge",
        };

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (_gate)
            {
                var series = Find(tags);
                switch (Kind)
                {
                    case SeriesKind.Histogram:
                        series.Observe(value, DefaultBounds);
                        break;
                    case SeriesKind.Counter when !IsObservable:
                        series.Value += value;
                        break;
                    case SeriesKind.Gauge when Instrument is UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double>:
                        series.Value += value;
                        break;
                    default:
                        series.Value = value;
                        break;
                }
            }
        }

        public void MergeInto(SortedDictionary<string, Series> merged)
        {
            lock (_gate)
            {
                foreach (var (tags, series) in _series)
                {
                    string labels = Labels(tags);
                    if (merged.TryGetValue(labels, out var existing))
                    {
                        existing.Add(series);
                    }
                    else
                    {
                        merged[labels] = series.Copy();
                    }
                }
            }
        }

        private Series Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var (known, series) in _series)
            {
                if (Same(known, tags))
                {
                    return series;
                }
            }

            var created = new Series();
            _series.Add((tags.ToArray(), created));
            return created;
        }

        private static bool Same(KeyValuePair<string, object?>[] known, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (known.Length != tags.Length)
            {
                return false;
            }

            for (int i = 0; i < known.Length; i++)
            {
                if (!string.Equals(known[i].Key, tags[i].Key, StringComparison.Ordinal) || !Equals(known[i].Value, tags[i].Value))
                {
                    return false;
                }
            }

            return true;
        }

        private static string Labels(KeyValuePair<string, object?>[] tags)
        {
            if (tags.Length == 0)
            {
                return string.Empty;
            }

            var sorted = (KeyValuePair<string, object?>[])tags.Clone();
            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            var text = new StringBuilder();
            foreach (var tag in sorted)
            {
                if (text.Length > 0)
                {
                    text.Append(',');
                }

                text.Append(SanitizeName(tag.Key)).Append("=\"").Append(Escape(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty)).Append('"');
            }

            return text.ToString();
        }

        public static string SanitizeName(string name)
        {
            var chars = name.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_'))
                {
                    chars[i] = '_';
                }
            }

            return new string(chars);
        }

        private static string Escape(string value) =>
            value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private enum SeriesKind
    {
        Counter,
        Gauge,
        Histogram,
    }

    /// <summary>One series: a value, or histogram buckets.</summary>
    private sealed class Series
    {
        public double Value { get; set; }

        private double[]? _bounds;
        private long[]? _counts;
        private double _sum;
        private long _count;

        public void Observe(double value, double[] bounds)
        {
            _bounds ??= bounds;
            _counts ??= new long[bounds.Length + 1];
            int i = 0;
            while (i < bounds.Length && value > bounds[i])
            {
                i++;
            }

            _counts[i]++;
            _sum += value;
            _count++;
        }

        public Series Copy()
        {
            var copy = new Series { Value = Value, _bounds = _bounds, _sum = _sum, _count = _count };
            copy._counts = (long[]?)_counts?.Clone();
            return copy;
        }

        public void Add(Series other)
        {
            Value += other.Value;
            _sum += other._sum;
            _count += other._count;
            if (other._counts is not null)
            {
                _bounds ??= other._bounds;
                _counts ??= new long[other._counts.Length];
                for (int i = 0; i < _counts.Length; i++)
                {
                    _counts[i] += other._counts[i];
                }
            }
        }

        public void Render(StringBuilder text, string name, string labels)
        {
            var ci = CultureInfo.InvariantCulture;
            if (_counts is null)
            {
                text.Append(name);
                if (labels.Length > 0)
                {
                    text.Append('{').Append(labels).Append('}');
                }

                text.Append(' ').Append(Value.ToString("R", ci)).Append('\n');
                return;
            }

            long cumulative = 0;
            string prefix = labels.Length > 0 ? labels + "," : string.Empty;
            for (int i = 0; i < _counts.Length; i++)
            {
                cumulative += _counts[i];
                string le = i < _bounds!.Length ? _bounds[i].ToString("R", ci) : "+Inf";
                text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(le).Append("\"} ").Append(cumulative.ToString(ci)).Append('\n');
            }

            string braces = labels.Length > 0 ? "{" + labels + "}" : string.Empty;
            text.Append(name).Append("_sum").Append(braces).Append(' ').Append(_sum.ToString("R", ci)).Append('\n');
            text.Append(name).Append("_count").Append(braces).Append(' ').Append(_count.ToString(ci)).Append('\n');
        }
    }
}
