using System.Collections.Concurrent;

namespace Pipeline.Receivers.Ebpf.Tracking;

/// <summary>Data events (and their payload buffers) handed from the ring-buffer thread to the processing loop and back,
/// so a traced request costs no event objects or payload arrays: allocating and zeroing them, and collecting them
/// again, was a fifth of the collector's CPU under wrk. Bounded: beyond <see cref="MaxRetained"/> idle events (a burst
/// that filled the channel) returned events are left to the GC. One thread rents, one returns.</summary>
internal sealed class SocketEventPool
{
    /// <summary>Idle events kept at most (each holds a buffer of up to <c>capture_size</c> bytes).</summary>
    internal const int MaxRetained = 1024;

    private readonly ConcurrentQueue<SocketEvent> _idle = new();
    private int _count;

    /// <summary>An idle event, or a new one.</summary>
    public SocketEvent Rent()
    {
        if (_idle.TryDequeue(out var e))
        {
            Interlocked.Decrement(ref _count);
            return e;
        }

        return new SocketEvent { Pooled = true };
    }

    /// <summary>Takes back a handled event (others are ignored); nothing may use it or its payload afterwards.</summary>
    public void Return(SocketEvent e)
    {
        if (!e.Pooled || Volatile.Read(ref _count) >= MaxRetained)
        {
            return;
        }

        Interlocked.Increment(ref _count);
        _idle.Enqueue(e);
    }
}
