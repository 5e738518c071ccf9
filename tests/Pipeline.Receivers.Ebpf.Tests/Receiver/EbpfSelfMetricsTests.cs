using System.Diagnostics.Metrics;
using Pipeline.Abstractions;
using Pipeline.Receivers.Ebpf.Tests.Kernel;
using Pipeline.Testing;
using Xunit;
using Names = Pipeline.Receivers.Ebpf.EbpfReceiver.SelfMetricNames;

namespace Pipeline.Receivers.Ebpf.Tests.Receiver;

/// <summary>The receiver's self-telemetry as the collector's /metrics sees it: instruments on the component's meter,
/// tagged with the receiver id, reporting the latest counters snapshot.</summary>
[Collection(KernelCollection.Name)]
public sealed class EbpfSelfMetricsTests
{
    [Fact]
    public void Constructor_RegistersEveryCounterAndGauge_WithTheReceiverTag()
    {
        var settings = TestSettings.For(ComponentKind.Receiver, "ebpf/self");
        using var recorder = new Recorder(settings.Meter);

        _ = new EbpfReceiver(settings, EbpfReceiverTests.Config(1));
        recorder.Collect();

        Assert.Equal(
            new[] { Names.ActiveConnections, Names.ChannelDropped, Names.EventsReceived, Names.Malformed, Names.ParseErrors, Names.RingbufWriteFailures, Names.TracedProcesses, Names.Truncated }.Order(StringComparer.Ordinal),
            recorder.Instruments.Keys.Where(n => n.StartsWith("otelcol_receiver_ebpf_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.IsAssignableFrom<ObservableCounter<long>>(recorder.Instruments[Names.EventsReceived]);
        Assert.IsAssignableFrom<ObservableCounter<long>>(recorder.Instruments[Names.RingbufWriteFailures]);
        Assert.IsAssignableFrom<ObservableCounter<long>>(recorder.Instruments[Names.ParseErrors]);
        Assert.IsAssignableFrom<ObservableGauge<long>>(recorder.Instruments[Names.ActiveConnections]);
        Assert.IsAssignableFrom<ObservableGauge<int>>(recorder.Instruments[Names.TracedProcesses]);
        Assert.Equal(0, recorder.Value(Names.EventsReceived, "receiver=ebpf/self"));
        Assert.Equal(0, recorder.Value(Names.TracedProcesses, "receiver=ebpf/self"));
    }

    [Fact]
    public void Collect_AfterASnapshot_ReportsEachCounterAndParseErrorsPerProtocol()
    {
        var settings = TestSettings.For(ComponentKind.Receiver, "ebpf");
        using var recorder = new Recorder(settings.Meter);
        var receiver = new EbpfReceiver(settings, EbpfReceiverTests.Config(1));

        receiver.Stats = new EbpfStats(
            EventsReceived: 1000,
            RingbufWriteFailures: 7,
            ChannelDropped: 3,
            Malformed: 2,
            ParseErrors: new Dictionary<string, long> { ["http1"] = 5, ["http2"] = 1 },
            ActiveConnections: 4,
            TracedProcesses: 2,
            Truncated: 9);
        recorder.Collect();

        Assert.Equal(1000, recorder.Value(Names.EventsReceived, "receiver=ebpf"));
        Assert.Equal(7, recorder.Value(Names.RingbufWriteFailures, "receiver=ebpf"));
        Assert.Equal(3, recorder.Value(Names.ChannelDropped, "receiver=ebpf"));
        Assert.Equal(2, recorder.Value(Names.Malformed, "receiver=ebpf"));
        Assert.Equal(9, recorder.Value(Names.Truncated, "receiver=ebpf"));
        Assert.Equal(5, recorder.Value(Names.ParseErrors, "protocol=http1,receiver=ebpf"));
        Assert.Equal(1, recorder.Value(Names.ParseErrors, "protocol=http2,receiver=ebpf"));
        Assert.Equal(4, recorder.Value(Names.ActiveConnections, "receiver=ebpf"));
        Assert.Equal(2, recorder.Value(Names.TracedProcesses, "receiver=ebpf"));
    }

    [SkippableFact]
    public async Task Collect_RealServerUnderTheProbes_CountsItsEventsAndOneTracedProcess()
    {
        BpfRequirement.Ensure();
        string python = BpfRequirement.RequireProgram("python3");
        string curl = BpfRequirement.RequireProgram("curl");
        int port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(python, ["-m", "http.server", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1"], port);
        var settings = TestSettings.For(ComponentKind.Receiver, "ebpf");
        using var recorder = new Recorder(settings.Meter);
        var receiver = new EbpfReceiver(settings, EbpfReceiverTests.Config(port));
        await receiver.StartAsync(NopHost.Instance, CancellationToken.None);
        try
        {
            ServerProcess.Run(curl, "-s", "-o", "/dev/null", "http://127.0.0.1:" + port + "/");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (receiver.Stats.EventsReceived < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            recorder.Collect();
            var stats = receiver.Stats;

            Assert.True(stats.EventsReceived >= 3, $"accept, read and write of one request reach the ring buffer; saw {stats.EventsReceived}");
            Assert.Equal(stats.EventsReceived, recorder.Value(Names.EventsReceived, "receiver=ebpf"));
            Assert.Equal(1, recorder.Value(Names.TracedProcesses, "receiver=ebpf"));
            Assert.Equal(0, recorder.Value(Names.RingbufWriteFailures, "receiver=ebpf"));
            Assert.Equal(0, recorder.Value(Names.ChannelDropped, "receiver=ebpf"));
        }
        finally
        {
            await receiver.ShutdownAsync(CancellationToken.None);
        }
    }

    /// <summary>Listens to one meter and keeps the last value of each (instrument, tags) series.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

        public Recorder(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    Instruments[instrument.Name] = instrument;
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Store(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Store(i, v, tags));
            _listener.Start();
        }

        public Dictionary<string, Instrument> Instruments { get; } = new(StringComparer.Ordinal);

        public void Collect() => _listener.RecordObservableInstruments();

        /// <summary>The value of a series; tags as "k=v,k=v" sorted by key.</summary>
        public double? Value(string name, string tags) => _values.TryGetValue(name + "|" + tags, out double v) ? v : null;

        public void Dispose() => _listener.Dispose();

        private void Store(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var parts = new List<string>();
            foreach (var tag in tags)
            {
                parts.Add(tag.Key + "=" + tag.Value);
            }

            parts.Sort(StringComparer.Ordinal);
            _values[instrument.Name + "|" + string.Join(',', parts)] = value;
        }
    }
}
