using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Host.Tests.Graph;

/// <summary>Receivers that expose their next consumers; optionally one instance shared by all signals.</summary>
internal sealed class FakeReceiverFactory : IReceiverFactory
{
    private readonly Recorder _recorder;
    private readonly bool _shared;
    private readonly Dictionary<ComponentId, FakeReceiver> _byId = [];

    public FakeReceiverFactory(Recorder recorder, string type = "fakerecv", bool shared = false, Signal[]? signals = null)
    {
        _recorder = recorder;
        _shared = shared;
        Type = type;
        var stability = new Dictionary<Signal, StabilityLevel>();
        foreach (var s in signals ?? [Signal.Traces, Signal.Metrics, Signal.Logs])
        {
            stability[s] = StabilityLevel.Beta;
        }

        Stability = stability;
    }

    public string Type { get; }

    public ComponentKind Kind => ComponentKind.Receiver;

    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; }

    public List<FakeReceiver> Created { get; } = [];

    public IComponentConfig CreateDefaultConfig() => new FakeConfig();

    public IReceiver CreateReceiver<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData
    {
        if (!_shared || !_byId.TryGetValue(settings.Id, out var receiver))
        {
            receiver = new FakeReceiver(_recorder, "receiver/" + settings.Id, (FakeConfig)config);
            _byId[settings.Id] = receiver;
            Created.Add(receiver);
        }

        receiver.Next[typeof(T)] = next;
        return receiver;
    }
}

internal sealed class FakeReceiver : FakeComponent, IReceiver
{
    public FakeReceiver(Recorder recorder, string name, FakeConfig config)
        : base(recorder, name, config)
    {
    }

    public Dictionary<Type, object> Next { get; } = [];

    public IConsumer<T> NextOf<T>()
        where T : TelemetryData => (IConsumer<T>)Next[typeof(T)];
}
