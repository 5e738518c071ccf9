using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Host.Tests.Graph;

/// <summary>Exporters that keep what they get.</summary>
internal sealed class FakeExporterFactory : IExporterFactory
{
    private readonly Recorder _recorder;

    public FakeExporterFactory(Recorder recorder, string type = "fakeexp", Signal[]? signals = null)
    {
        _recorder = recorder;
        Type = type;
        var stability = new Dictionary<Signal, StabilityLevel>();
        foreach (var s in signals ?? [Signal.Traces, Signal.Metrics, Signal.Logs])
        {
            stability[s] = StabilityLevel.Beta;
        }

        Stability = stability;
    }

    public string Type { get; }

    public ComponentKind Kind => ComponentKind.Exporter;

    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; }

    public List<object> Created { get; } = [];

    /// <summary>Whether the exporters claim to persist before returning (a persistent sending queue).</summary>
    public bool Persists { get; init; }

    public IComponentConfig CreateDefaultConfig() => new FakeConfig();

    public IExporter<T> CreateExporter<T>(ComponentSettings settings, IComponentConfig config)
        where T : TelemetryData
    {
        var exporter = new FakeExporter<T>(_recorder, $"exporter/{settings.Id}/{typeof(T).Name}", (FakeConfig)config) { PersistsBeforeReturning = Persists };
        Created.Add(exporter);
        return exporter;
    }
}

internal sealed class FakeExporter<T> : FakeComponent, IExporter<T>, IPersistingConsumer
    where T : TelemetryData
{
    private readonly List<T> _received = [];

    public FakeExporter(Recorder recorder, string name, FakeConfig config)
        : base(recorder, name, config)
    {
    }

    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    public bool PersistsBeforeReturning { get; init; }

    public IReadOnlyList<T> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        lock (_received)
        {
            _received.Add(data);
        }

        return ValueTask.CompletedTask;
    }
}
