using Pipeline.Telemetry;

namespace Pipeline.Processors.Batch;

/// <summary>The signal-specific half of batching: joining batches and cutting the first N items off one.</summary>
/// <typeparam name="T">The batch type.</typeparam>
internal abstract class BatchOps<T>
    where T : TelemetryData
{
    /// <summary>The signal handled.</summary>
    public abstract Signal Signal { get; }

    /// <summary>Joins batches without decoding encoded ones.</summary>
    public abstract T Concat(IReadOnlyList<T> parts);

    /// <summary>Cuts the first <paramref name="count"/> items off <paramref name="data"/> (which must hold more).
    /// A read-only batch (shared with other consumers) is copied first, so the rest may be a new instance.</summary>
    public abstract (T Head, T Remainder) Split(T data, int count);

    /// <summary>The operations for <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException">The type is not one of the three signals.</exception>
    public static BatchOps<T> For()
    {
        if (typeof(T) == typeof(Traces))
        {
            return (BatchOps<T>)(object)new TracesOps();
        }

        if (typeof(T) == typeof(Metrics))
        {
            return (BatchOps<T>)(object)new MetricsOps();
        }

        if (typeof(T) == typeof(Logs))
        {
            return (BatchOps<T>)(object)new LogsOps();
        }

        throw new NotSupportedException($"The batch processor does not support {typeof(T).Name}.");
    }

    private sealed class TracesOps : BatchOps<Traces>
    {
        public override Signal Signal => Signal.Traces;

        public override Traces Concat(IReadOnlyList<Traces> parts) => Traces.Concat(parts);

        public override (Traces Head, Traces Remainder) Split(Traces data, int count)
        {
            var own = data.IsReadOnly ? data.Clone() : data;
            return (Traces.FromRequest(ItemSplitter.SplitTraces(own.GetMutableRequest(), count)), own);
        }
    }

    private sealed class MetricsOps : BatchOps<Metrics>
    {
        public override Signal Signal => Signal.Metrics;

        public override Metrics Concat(IReadOnlyList<Metrics> parts) => Metrics.Concat(parts);

        public override (Metrics Head, Metrics Remainder) Split(Metrics data, int count)
        {
            var own = data.IsReadOnly ? data.Clone() : data;
            return (Metrics.FromRequest(ItemSplitter.SplitMetrics(own.GetMutableRequest(), count)), own);
        }
    }

    private sealed class LogsOps : BatchOps<Logs>
    {
        public override Signal Signal => Signal.Logs;

        public override Logs Concat(IReadOnlyList<Logs> parts) => Logs.Concat(parts);

        public override (Logs Head, Logs Remainder) Split(Logs data, int count)
        {
            var own = data.IsReadOnly ? data.Clone() : data;
            return (Logs.FromRequest(ItemSplitter.SplitLogs(own.GetMutableRequest(), count)), own);
        }
    }
}
