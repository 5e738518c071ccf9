using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Telemetry;

namespace Pipeline.Receivers.Ebpf;

/// <summary>Creates the <c>ebpf</c> receiver (traces and metrics, alpha). One instance per component ID serves both
/// signals (otelcol's shared component), so the programs are loaded once.</summary>
public sealed class EbpfReceiverFactory : IReceiverFactory
{
    private readonly Dictionary<ComponentId, EbpfReceiver> _shared = [];
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public string Type => "ebpf";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Receiver;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Alpha,
        [Signal.Metrics] = StabilityLevel.Alpha,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new EbpfReceiverConfig();

    /// <inheritdoc />
    public IReceiver CreateReceiver<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(next);
        var typed = (EbpfReceiverConfig)config;
        lock (_lock)
        {
            if (!_shared.TryGetValue(settings.Id, out var receiver))
            {
                receiver = new EbpfReceiver(settings, typed, () => Forget(settings.Id));
                _shared[settings.Id] = receiver;
            }

            switch (next)
            {
                case IConsumer<Traces> traces:
                    receiver.Traces = traces;
                    break;
                case IConsumer<Metrics> metrics:
                    receiver.Metrics = metrics;
                    break;
                default:
                    throw new NotSupportedException("The ebpf receiver produces traces and metrics, not " + typeof(T).Name + ".");
            }

            return receiver;
        }
    }

    private void Forget(ComponentId id)
    {
        lock (_lock)
        {
            _shared.Remove(id);
        }
    }
}
