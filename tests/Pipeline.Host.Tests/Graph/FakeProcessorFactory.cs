using OpenTelemetry.Proto.Trace.V1;
using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Host.Tests.Graph;

/// <summary>Processors that pass data on; mutating ones rename every span (which throws on read-only data).</summary>
internal sealed class FakeProcessorFactory : IProcessorFactory
{
    private readonly Recorder _recorder;
    private readonly bool _mutates;

    public FakeProcessorFactory(Recorder recorder, string type = "fakeproc", bool mutates = false)
    {
        _recorder = recorder;
        _mutates = mutates;
        Type = type;
    }

    public string Type { get; }

    public ComponentKind Kind => ComponentKind.Processor;

    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Beta,
        [Signal.Metrics] = StabilityLevel.Beta,
        [Signal.Logs] = StabilityLevel.Beta,
    };

    public List<(ComponentSettings Settings, object Processor)> Created { get; } = [];

    public IComponentConfig CreateDefaultConfig() => new FakeConfig();

    public IProcessor<T> CreateProcessor<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData
    {
        var processor = new FakeProcessor<T>(_recorder, $"processor/{settings.Id}/{settings.Pipeline}", (FakeConfig)config, next, _mutates, Type);
        Created.Add((settings, processor));
        return processor;
    }
}

internal sealed class FakeProcessor<T> : FakeComponent, IProcessor<T>
    where T : TelemetryData
{
    private readonly IConsumer<T> _next;
    private readonly bool _mutates;
    private readonly string _mark;

    public FakeProcessor(Recorder recorder, string name, FakeConfig config, IConsumer<T> next, bool mutates, string mark)
        : base(recorder, name, config)
    {
        _next = next;
        _mutates = mutates;
        _mark = mark;
    }

    public ConsumerCapabilities Capabilities => new(_mutates);

    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        if (_mutates && data is Traces traces)
        {
            foreach (var rs in traces.GetMutableRequest().ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    foreach (Span span in ss.Spans)
                    {
                        span.Name = _mark;
                    }
                }
            }
        }

        return _next.ConsumeAsync(data, cancellationToken);
    }
}
