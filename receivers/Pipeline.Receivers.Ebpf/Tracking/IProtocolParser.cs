namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>A protocol's per-connection state machine. Connection tracking feeds it ordered bytes and gaps; it reports
/// requests and completed exchanges to the connection's <see cref="IExchangeSink"/>. HTTP/1.x is the first; HTTP/2,
/// gRPC, Postgres and Redis plug in behind the same interface.</summary>
internal interface IProtocolParser : IStreamConsumer
{
    /// <summary>The protocol name used in parse-error counters (e.g. <c>http1</c>).</summary>
    string Protocol { get; }

    /// <summary>The connection ended (close, process exit, eviction or inactivity): finish what can be finished.</summary>
    void OnClose();
}

/// <summary>Recognises a protocol from the first bytes of a direction and creates its parser.</summary>
internal interface IProtocolParserFactory
{
    /// <summary>The protocol name.</summary>
    string Protocol { get; }

    /// <summary>True when the start of a segment plausibly begins a message of this protocol.</summary>
    bool Detect(Direction direction, ReadOnlySpan<byte> start);

    /// <summary>A parser for one connection.</summary>
    IProtocolParser Create(Connection connection, IExchangeSink sink, TrafficStats stats);
}
