using System.Net;

namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>One tracked connection of a traced process: its identity, addresses, the two ordered streams and the
/// protocol parser (null until a protocol is detected).</summary>
internal sealed class Connection : IStreamConsumer
{
    /// <summary>Segments examined for a protocol before the connection is ignored.</summary>
    internal const int MaxDetectAttempts = 32;

    private readonly DataStream _ingress;
    private readonly DataStream _egress;

    public Connection(ConnectionKey key, int maxBufferedBytes)
    {
        Key = key;
        _ingress = new DataStream(Direction.Ingress, maxBufferedBytes);
        _egress = new DataStream(Direction.Egress, maxBufferedBytes);
    }

    public ConnectionKey Key { get; }

    public ConnectionRole Role { get; set; }

    public IPAddress? LocalAddress { get; set; }

    public ushort LocalPort { get; set; }

    public IPAddress? RemoteAddress { get; set; }

    public ushort RemotePort { get; set; }

    public IProtocolParser? Parser { get; set; }

    /// <summary>Set when no protocol was recognised: bytes are then only counted.</summary>
    public bool Ignored { get; set; }

    public int DetectAttempts { get; set; }

    public long LastActivityTicks { get; set; }

    /// <summary>When the connection was first seen (TimeProvider timestamp).</summary>
    public long FirstSeenTicks { get; init; }

    /// <summary>Server side: a traced client on the other end was joined to one of its requests, so later requests
    /// wait for their client span too.</summary>
    public bool PeerTraced { get; set; }

    public LinkedListNode<Connection>? LruNode { get; set; }

    /// <summary>Chooses the parser from the first segments.</summary>
    public ProtocolDetector? Detector { get; set; }

    /// <summary>Kernel time of the latest event on the connection (ends requests cut off by a close).</summary>
    public ulong LastEventNs { get; set; }

    public void Push(in StreamSegment segment, Direction direction)
    {
        var stream = direction == Direction.Ingress ? _ingress : _egress;
        var other = direction == Direction.Ingress ? _egress : _ingress;

        // Traffic the other way means the hole there will not fill (request/response protocols): resync now.
        if (other.HasHole)
        {
            other.FlushWithGap(this);
        }

        stream.Push(segment, this);
    }

    /// <summary>Gives up on holes that did not fill (called periodically): reports gaps and delivers what waits.</summary>
    public void FlushHoles()
    {
        if (_ingress.HasHole)
        {
            _ingress.FlushWithGap(this);
        }

        if (_egress.HasHole)
        {
            _egress.FlushWithGap(this);
        }
    }

    /// <summary>Delivers everything still held (reporting holes as gaps), then closes the parser.</summary>
    public void Close()
    {
        _ingress.FlushWithGap(this);
        _egress.FlushWithGap(this);
        Parser?.OnClose();
    }

    public void OnSegment(Direction direction, in StreamSegment segment)
    {
        if (Parser is not null)
        {
            Parser.OnSegment(direction, segment);
        }
        else if (!Ignored)
        {
            Detector?.Detect(this, direction, segment);
            if (Parser is not null)
            {
                Parser.OnSegment(direction, segment);
            }
        }
    }

    public void OnGap(Direction direction) => Parser?.OnGap(direction);
}
