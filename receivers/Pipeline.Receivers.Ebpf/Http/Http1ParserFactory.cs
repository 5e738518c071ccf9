using Pipeline.Receivers.Ebpf.Tracking;

namespace Pipeline.Receivers.Ebpf.Http;

/// <summary>Detects HTTP/1.x and creates <see cref="Http1Parser"/>s.</summary>
internal sealed class Http1ParserFactory : IProtocolParserFactory
{
    /// <inheritdoc />
    public string Protocol => Http1Parser.ProtocolName;

    /// <inheritdoc />
    public bool Detect(Direction direction, ReadOnlySpan<byte> start) =>
        HttpStart.Classify(start) is HttpStartKind.Request or HttpStartKind.Response;

    /// <inheritdoc />
    public IProtocolParser Create(Connection connection, IExchangeSink sink, TrafficStats stats) =>
        new Http1Parser(connection, sink, stats);
}
