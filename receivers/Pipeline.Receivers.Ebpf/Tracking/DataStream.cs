namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>One direction of a connection: delivers segments in stream-position order, trims overlaps, holds
/// out-of-order segments (bounded), and reports a gap when missing bytes are given up on.</summary>
internal sealed class DataStream
{
    private const int MaxPendingSegments = 64;
    private readonly Direction _direction;
    private readonly int _maxBufferedBytes;
    private List<StreamSegment>? _pending;
    private int _pendingBytes;

    public DataStream(Direction direction, int maxBufferedBytes)
    {
        _direction = direction;
        _maxBufferedBytes = maxBufferedBytes;
    }

    /// <summary>The stream offset of the next byte expected. The kernel counts from its first sighting of the
    /// connection, so a stream starts at 0; a first event further on means events were lost (or reordered).</summary>
    public ulong NextPosition { get; private set; }

    /// <summary>True when segments wait behind a hole.</summary>
    public bool HasHole => _pending is { Count: > 0 };

    /// <summary>Accepts a segment; delivers what is now in order.</summary>
    public void Push(in StreamSegment segment, IStreamConsumer consumer)
    {
        if (segment.Position > NextPosition)
        {
            Hold(segment);
            if (_pendingBytes > _maxBufferedBytes || _pending!.Count > MaxPendingSegments)
            {
                FlushWithGap(consumer);
            }

            return;
        }

        Deliver(segment, consumer);
        Drain(consumer);
    }

    /// <summary>Gives up on the hole: reports a gap and delivers everything held.</summary>
    public void FlushWithGap(IStreamConsumer consumer)
    {
        while (_pending is { Count: > 0 })
        {
            var next = _pending[0];
            if (next.Position > NextPosition)
            {
                consumer.OnGap(_direction);
                NextPosition = next.Position;
            }

            Drain(consumer);
        }
    }

    private void Drain(IStreamConsumer consumer)
    {
        while (_pending is { Count: > 0 } && _pending[0].Position <= NextPosition)
        {
            var next = _pending[0];
            _pending.RemoveAt(0);
            _pendingBytes -= next.Captured.Length;
            Deliver(next, consumer);
        }
    }

    private void Deliver(StreamSegment segment, IStreamConsumer consumer)
    {
        ulong end = segment.Position + segment.Length;
        if (end <= NextPosition)
        {
            return; // a duplicate, or wholly inside what was delivered
        }

        if (segment.Position < NextPosition)
        {
            segment = segment.Skip(NextPosition - segment.Position);
        }

        NextPosition = end;
        consumer.OnSegment(_direction, segment);
    }

    private void Hold(in StreamSegment segment)
    {
        _pending ??= new List<StreamSegment>(4);
        int i = _pending.Count;
        while (i > 0 && _pending[i - 1].Position > segment.Position)
        {
            i--;
        }

        // The payload belongs to the event, which is reused once handled (SocketEventPool): keep a copy.
        _pending.Insert(i, segment with { Captured = segment.Captured.ToArray() });
        _pendingBytes += segment.Captured.Length;
    }
}
