using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;

namespace Pipeline.Receivers.Ebpf.Spans;

/// <summary>Cumulative <c>http.server.request.duration</c> and <c>http.client.request.duration</c> histograms per
/// process, by method, route, status code and error type only (never paths or peer addresses: cardinality).</summary>
internal sealed class HttpMetrics
{
    /// <summary>Semantic-convention bucket boundaries for HTTP durations, in seconds.</summary>
    internal static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>At most this many series per process; beyond, new series are dropped and counted.</summary>
    internal const int MaxSeriesPerProcess = 2000;

    private readonly Dictionary<uint, ProcessSeries> _processes = [];
    private Histogram? _last;
    private uint _lastTgid;
    private SeriesKey _lastKey;

    /// <summary>Series refused because a process reached <see cref="MaxSeriesPerProcess"/>.</summary>
    public long SeriesDropped { get; private set; }

    /// <summary>True when nothing was recorded.</summary>
    public bool IsEmpty => _processes.Count == 0;

    /// <summary>Processes with series.</summary>
    public IEnumerable<uint> Processes => _processes.Keys;

    /// <summary>Adds a duration to its series; a new series starts now (<paramref name="clock"/> is read only then).</summary>
    public void Record(uint tgid, in SeriesKey key, double seconds, TimeProvider clock)
    {
        // A server answers the same route and status again and again: the previous series, without hashing the key.
        if (_last is not null && _lastTgid == tgid && _lastKey.SameAs(key))
        {
            _last.Record(seconds);
            return;
        }

        if (!_processes.TryGetValue(tgid, out var process))
        {
            process = new ProcessSeries();
            _processes[tgid] = process;
        }

        if (!process.Series.TryGetValue(key, out var histogram))
        {
            if (process.Series.Count >= MaxSeriesPerProcess)
            {
                SeriesDropped++;
                return;
            }

            histogram = new Histogram(UnixNanos(clock));
            process.Series[key] = histogram;
        }

        histogram.Record(seconds);
        _last = histogram;
        _lastTgid = tgid;
        _lastKey = key;
    }

    /// <summary>Wall-clock time as Unix nanoseconds.</summary>
    internal static ulong UnixNanos(TimeProvider clock) => (ulong)((clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100);

    /// <summary>The process exited: its series are reported once more, then forgotten.</summary>
    public void MarkExited(uint tgid)
    {
        if (_processes.TryGetValue(tgid, out var process))
        {
            process.Exited = true;
        }
    }

    /// <summary>The two metrics of a process, with cumulative points as of <paramref name="nowUnixNs"/>.</summary>
    public ScopeMetrics? Snapshot(uint tgid, ulong nowUnixNs)
    {
        if (!_processes.TryGetValue(tgid, out var process))
        {
            return null;
        }

        var scope = new ScopeMetrics { Scope = ResourceFactory.Scope() };
        var server = NewMetric("http.server.request.duration", "Duration of HTTP server requests.");
        var client = NewMetric("http.client.request.duration", "Duration of HTTP client requests.");
        foreach (var (key, histogram) in process.Series)
        {
            (key.Server ? server : client).Histogram.DataPoints.Add(histogram.Point(key, nowUnixNs));
        }

        if (server.Histogram.DataPoints.Count > 0)
        {
            scope.Metrics.Add(server);
        }

        if (client.Histogram.DataPoints.Count > 0)
        {
            scope.Metrics.Add(client);
        }

        return scope;
    }

    /// <summary>Forgets processes that exited and have now been reported.</summary>
    public void RemoveExited()
    {
        List<uint>? gone = null;
        foreach (var (tgid, process) in _processes)
        {
            if (process.Exited)
            {
                (gone ??= []).Add(tgid);
            }
        }

        if (gone is not null)
        {
            foreach (uint tgid in gone)
            {
                _processes.Remove(tgid);
            }

            _last = null; // a removed process's series must not be recorded into again
        }
    }

    private static Metric NewMetric(string name, string description) => new()
    {
        Name = name,
        Description = description,
        Unit = "s",
        Histogram = new OpenTelemetry.Proto.Metrics.V1.Histogram { AggregationTemporality = AggregationTemporality.Cumulative },
    };

    /// <summary>The attributes of one series.</summary>
    internal readonly record struct SeriesKey(bool Server, string Method, string? Route, int StatusCode, string? ErrorType)
    {
        /// <summary>Equal by the same string instances (a cheap test that may say no to equal keys, never yes to unequal ones).</summary>
        public bool SameAs(in SeriesKey other) =>
            Server == other.Server && StatusCode == other.StatusCode && ReferenceEquals(Method, other.Method) &&
            ReferenceEquals(Route, other.Route) && ReferenceEquals(ErrorType, other.ErrorType);
    }

    private sealed class ProcessSeries
    {
        public Dictionary<SeriesKey, Histogram> Series { get; } = [];

        public bool Exited { get; set; }
    }

    private sealed class Histogram
    {
        private readonly ulong[] _counts = new ulong[Bounds.Length + 1];
        private readonly ulong _startUnixNs;
        private ulong _count;
        private double _sum;
        private double _min = double.MaxValue;
        private double _max = double.MinValue;

        public Histogram(ulong startUnixNs) => _startUnixNs = startUnixNs;

        public void Record(double value)
        {
            // Buckets are upper-inclusive: (bound[i-1], bound[i]].
            int i = Array.BinarySearch(Bounds, value);
            _counts[i < 0 ? ~i : i]++;
            _count++;
            _sum += value;
            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
        }

        public HistogramDataPoint Point(in SeriesKey key, ulong nowUnixNs)
        {
            var point = new HistogramDataPoint
            {
                StartTimeUnixNano = _startUnixNs,
                TimeUnixNano = Math.Max(nowUnixNs, _startUnixNs),
                Count = _count,
                Sum = _sum,
                Min = _min,
                Max = _max,
            };
            point.BucketCounts.Add(_counts);
            point.ExplicitBounds.Add(Bounds);
            var a = point.Attributes;
            a.Add(Str("http.request.method", key.Method));
            if (key.Route is not null)
            {
                a.Add(Str("http.route", key.Route));
            }

            if (key.StatusCode != 0)
            {
                a.Add(new KeyValue { Key = "http.response.status_code", Value = new AnyValue { IntValue = key.StatusCode } });
            }

            if (key.ErrorType is not null)
            {
                a.Add(Str("error.type", key.ErrorType));
            }

            if (key.Server)
            {
                a.Add(Str("url.scheme", "http"));
            }

            return point;
        }

        private static KeyValue Str(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
    }
}
