using Pipeline.Abstractions;
using Pipeline.Telemetry;

namespace Pipeline.Abstractions;

/// <summary>
/// Hands one batch to several consumers (otelcol's fanoutconsumer). Mutating consumers get their own clone, except the
/// last one when no read-only consumer shares the batch; data seen by more than one read-only consumer is marked
/// read-only, so no consumer ever sees another's change. Every consumer gets the batch even when an earlier one fails;
/// then the failures are rethrown together (permanent only when all are permanent).
/// </summary>
/// <typeparam name="T">The signal's batch type.</typeparam>
public sealed class FanOutConsumer<T> : IConsumer<T>
    where T : TelemetryData
{
    private readonly IConsumer<T>[] _mutating;
    private readonly IConsumer<T>[] _readOnly;

    private FanOutConsumer(IConsumer<T>[] mutating, IConsumer<T>[] readOnly)
    {
        _mutating = mutating;
        _readOnly = readOnly;
    }

    /// <summary>The fan-out never changes data itself; it clones for those that do.</summary>
    public ConsumerCapabilities Capabilities => ConsumerCapabilities.ReadOnly;

    /// <summary>The consumers, mutating ones first.</summary>
    public IReadOnlyList<IConsumer<T>> Consumers => [.. _mutating, .. _readOnly];

    /// <summary>Returns the only consumer itself, or a fan-out over several.</summary>
    public static IConsumer<T> Create(IReadOnlyList<IConsumer<T>> consumers)
    {
        ArgumentNullException.ThrowIfNull(consumers);
        if (consumers.Count == 1)
        {
            return consumers[0];
        }

        var mutating = new List<IConsumer<T>>();
        var readOnly = new List<IConsumer<T>>();
        foreach (var consumer in consumers)
        {
            (consumer.Capabilities.MutatesData ? mutating : readOnly).Add(consumer);
        }

        return new FanOutConsumer<T>([.. mutating], [.. readOnly]);
    }

    /// <inheritdoc />
    public async ValueTask ConsumeAsync(T data, CancellationToken cancellationToken)
    {
        List<Exception>? errors = null;
        for (int i = 0; i < _mutating.Length; i++)
        {
            // The original goes to the last mutating consumer only when nobody else will read it.
            bool giveOriginal = i == _mutating.Length - 1 && _readOnly.Length == 0 && !data.IsReadOnly;
            var batch = giveOriginal ? data : DataCloner.Clone(data);
            try
            {
                await _mutating[i].ConsumeAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                (errors ??= []).Add(e);
            }
        }

        if (_readOnly.Length > 1)
        {
            data.MarkReadOnly();
        }

        foreach (var consumer in _readOnly)
        {
            try
            {
                await consumer.ConsumeAsync(data, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                (errors ??= []).Add(e);
            }
        }

        if (errors is not null)
        {
            ConsumerErrors.Throw(errors);
        }
    }
}
