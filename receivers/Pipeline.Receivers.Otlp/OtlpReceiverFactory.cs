using Pipeline.Abstractions;
using Pipeline.Abstractions.Configuration;
using Pipeline.Receivers.Otlp.Config;
using Pipeline.Telemetry;

namespace Pipeline.Receivers.Otlp;

/// <summary>
/// Creates the <c>otlp</c> receiver. Every signal of one receiver ID gets the same instance (otelcol's shared
/// component), so the servers bind once; the map lives in this factory object and forgets an instance at shutdown.
/// </summary>
public sealed class OtlpReceiverFactory : IReceiverFactory
{
    private readonly Dictionary<ComponentId, OtlpReceiver> _instances = [];
    private readonly object _gate = new();

    /// <inheritdoc />
    public string Type => "otlp";

    /// <inheritdoc />
    public ComponentKind Kind => ComponentKind.Receiver;

    /// <inheritdoc />
    public IReadOnlyDictionary<Signal, StabilityLevel> Stability { get; } = new Dictionary<Signal, StabilityLevel>
    {
        [Signal.Traces] = StabilityLevel.Stable,
        [Signal.Metrics] = StabilityLevel.Stable,
        [Signal.Logs] = StabilityLevel.Stable,
    };

    /// <inheritdoc />
    public IComponentConfig CreateDefaultConfig() => new OtlpReceiverConfig();

    /// <inheritdoc />
    public IReceiver CreateReceiver<T>(ComponentSettings settings, IComponentConfig config, IConsumer<T> next)
        where T : TelemetryData
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(next);
        if (config is not OtlpReceiverConfig otlp)
        {
            throw new ArgumentException($"Expected an {nameof(OtlpReceiverConfig)}, got {config?.GetType().Name ?? "null"}.", nameof(config));
        }

        lock (_gate)
        {
            if (!_instances.TryGetValue(settings.Id, out var receiver))
            {
                receiver = new OtlpReceiver(settings, otlp, Forget);
                _instances[settings.Id] = receiver;
            }

            receiver.Register(next);
            return receiver;
        }
    }

    private void Forget(OtlpReceiver receiver)
    {
        lock (_gate)
        {
            foreach (var entry in _instances)
            {
                if (ReferenceEquals(entry.Value, receiver))
                {
                    _instances.Remove(entry.Key);
                    break;
                }
            }
        }
    }
}
