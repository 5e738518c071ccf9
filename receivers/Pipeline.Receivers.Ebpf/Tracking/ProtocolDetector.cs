namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>Picks a connection's protocol parser from the start of its segments; after
/// <see cref="Connection.MaxDetectAttempts"/> segments without a match the connection's bytes are only counted.</summary>
internal sealed class ProtocolDetector
{
    private readonly IProtocolParserFactory[] _factories;
    private readonly IExchangeSink _sink;
    private readonly TrafficStats _stats;

    public ProtocolDetector(IProtocolParserFactory[] factories, IExchangeSink sink, TrafficStats stats)
    {
        _factories = factories;
        _sink = sink;
        _stats = stats;
    }

    public void Detect(Connection connection, Direction direction, in StreamSegment segment)
    {
        var start = segment.Captured.Span;
        foreach (var factory in _factories)
        {
            if (factory.Detect(direction, start))
            {
                connection.Parser = factory.Create(connection, _sink, _stats);
                return;
            }
        }

        if (++connection.DetectAttempts >= Connection.MaxDetectAttempts)
        {
            connection.Ignored = true;
        }
    }
}
