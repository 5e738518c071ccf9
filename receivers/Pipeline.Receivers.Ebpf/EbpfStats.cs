namespace Pipeline.Receivers.Ebpf;

/// <summary>A snapshot of the receiver's counters, taken on the processing thread (so readers never race the
/// single-threaded user side) and read by the self-metrics callbacks and the shutdown log.</summary>
internal sealed record EbpfStats(
    long EventsReceived,
    long RingbufWriteFailures,
    long ChannelDropped,
    long Malformed,
    IReadOnlyDictionary<string, long> ParseErrors,
    long ActiveConnections,
    int TracedProcesses,
    long Truncated)
{
    public static readonly EbpfStats Empty = new(0, 0, 0, 0, new Dictionary<string, long>(), 0, 0, 0);

    public long TotalParseErrors => ParseErrors.Values.Sum();
}
