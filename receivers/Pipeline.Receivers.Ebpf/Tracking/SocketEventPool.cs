using System.Collections.Concurrent;

namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>Data events (and their payload buffers) handed from the ring-buffer thread to the processing loop and back,
/// so a traced request costs no event objects or payload arrays: allocating and zeroing them, and collecting them
/// again, was a fifth of the collector's CPU under wrk. Bounded: at most <see cref="MaxRetained"/> idle events holding
/// at most <see cref="MaxRetainedBytes"/> of buffers (a burst that filled the channel, or large payloads); events
/// returned beyond that are left to the GC. One thread rents, any thread returns.</summary>
internal sealed class SocketEventPool
{
    /// <summary>Idle events kept at most: above the events one processing pass sees at 40,000 requests/s (two per
    /// request, a pass every 10 ms or more), so the steady state allocates none.</summary>
    internal const int MaxRetained = 4096;

    /// <summary>Payload bytes the idle events may hold together (buffers grow to the largest payload seen, up to
    /// <c>capture_size</c>).</summary>
    internal const long MaxRetainedBytes = 4 * 1024 * 1024;

    private readonly ConcurrentQueue<SocketEvent> _idle = new();
    private int _count;
    private long _bytes;

    /// <summary>An idle event, or a new one.</summary>
    public SocketEvent Rent()
    {
        if (_idle.TryDequeue(out var e))
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Add(ref _bytes, -e.BufferCapacity);
            return e;
        }

        return new SocketEvent { Pooled = true };
    }

    /// <summary>Takes back a handled event (others are ignored); nothing may use it or its payload afterwards.</summary>
    public void Return(SocketEvent e)
    {
        if (!e.Pooled || Volatile.Read(ref _count) >= MaxRetained || Volatile.Read(ref _bytes) + e.BufferCapacity > MaxRetainedBytes)
        {
            return;
        }

        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _bytes, e.BufferCapacity);
        _idle.Enqueue(e);
    }
}
