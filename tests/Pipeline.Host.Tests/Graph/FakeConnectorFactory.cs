using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Host.Tests.Graph;

/// <summary>A forward connector (same signal in and out) for every signal.</summary>
internal sealed class FakeConnectorFactory : IConnectorFactory
{
    private readonly Recorder _recorder;

    public FakeConnectorFactory(Recorder recorder, string type = "forward")
    {
        _recorder = recorder;
        Type = type;
    }

    public string Type { get; }

    public ComponentKind Kind => ComponentKind.Connector;

    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>();

    public IReadOnlyDictionary<(Signal From, Signal To), StabilityLevel> ConnectorStability { get; } = new Dictionary<(Signal From, Signal To), StabilityLevel>
    {
        [(Signal.Traces, Signal.Traces)] = StabilityLevel.Beta,
        [(Signal.Metrics, Signal.Metrics)] = StabilityLevel.Beta,
        [(Signal.Logs, Signal.Logs)] = StabilityLevel.Beta,
    };

    public int CreatedCount { get; private set; }

    public IComponentConfig CreateDefaultConfig() => new FakeConfig();

    public IConnector<TIn> CreateConnector<TIn, TOut>(ComponentSettings settings, IComponentConfig config, IReadOnlyDictionary<PipelineId, IConsumer<TOut>> next)
        where TIn : TelemetryData
        where TOut : TelemetryData
    {
        CreatedCount++;
        return new ForwardConnector<TIn, TOut>(_recorder, "connector/" + settings.Id, (FakeConfig)config, next);
    }
}

internal sealed class ForwardConnector<TIn, TOut> : FakeComponent, IConnector<TIn>
    where TIn : TelemetryData
    where TOut : TelemetryData
{
    private readonly IReadOnlyDictionary<PipelineId, IConsumer<TOut>> _next;

    public ForwardConnector(Recorder recorder, string name, FakeConfig config, IReadOnlyDictionary<PipelineId, IConsumer<TOut>> next)
        : base(recorder, name, config)
    {
        _next = next;
    }

    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    public async ValueTask ConsumeAsync(TIn data, CancellationToken cancellationToken)
    {
        foreach (var consumer in _next.Values)
        {
            await consumer.ConsumeAsync((TOut)(TelemetryData)data, cancellationToken);
        }
    }
}
