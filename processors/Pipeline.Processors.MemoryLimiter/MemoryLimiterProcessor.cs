using System.Diagnostics.Metrics;
using Grpc.Core;
using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Processors.MemoryLimiter;

/// <summary>One pipeline's memory_limiter: refuses the whole batch (never part of it) while memory is high.</summary>
/// <typeparam name="T">The batch type.</typeparam>
internal sealed class MemoryLimiterProcessor<T> : IProcessor<T>
    where T : TelemetryData
{
    /// <summary>otelcol's error text; non-permanent, so receivers answer 503 / UNAVAILABLE and SDKs retry.</summary>
    public const string RefusedMessage = "data refused due to high memory usage";

    private readonly MemoryLimiter _limiter;
    private readonly IConsumer<T> _next;
    private readonly ProcessorObsReport _obs;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _refused;
    private readonly KeyValuePair<string, object?>[] _tags;

    public MemoryLimiterProcessor(ComponentSettings settings, MemoryLimiter limiter, IConsumer<T> next, Signal signal)
    {
        _limiter = limiter;
        _next = next;
        _obs = new ProcessorObsReport(settings, signal);
        string item = signal.ItemName();
        _accepted = settings.Meter.CreateCounter<long>("otelcol_processor_memory_limiter_accepted_" + item, "{" + item + "}", "Number of items accepted by the memory limiter.");
        _refused = settings.Meter.CreateCounter<long>("otelcol_processor_memory_limiter_refused_" + item, "{" + item + "}", "Number of items refused by the memory limiter.");
        _tags = [new("processor", settings.Id.ToString())];
    }

    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    public ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        int items = data.ItemCount;
        _obs.Incoming(items);
        if (_limiter.Refusing)
        {
            _refused.Add(items, _tags);
            throw new ConsumerException(StatusCode.Unavailable, RefusedMessage);
        }

        _accepted.Add(items, _tags);
        _obs.Outgoing(items);
        return _next.ConsumeAsync(data, cancellationToken);
    }

    public Task StartAsync(IComponentHost host, CancellationToken cancellationToken)
    {
        _limiter.Start();
        return Task.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _limiter.Stop();
        return Task.CompletedTask;
    }
}
